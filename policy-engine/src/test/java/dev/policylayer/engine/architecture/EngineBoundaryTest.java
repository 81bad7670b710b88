package dev.policylayer.engine.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine is a plain Java library: it decides and counts, and knows nothing of bytecode, agents, class
 * loaders of the host or the MCP SDK. These rules keep it that way.
 */
class EngineBoundaryTest {

    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.policylayer.engine");
    }

    @Test
    void engineDoesNotTouchBytecodeOrInstrumentation() {
        ArchRule rule = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("net.bytebuddy..", "java.lang.instrument..", "org.objectweb.asm..");
        rule.check(engine);
    }

    @Test
    void engineDoesNotKnowTheMcpSdkOrReactor() {
        ArchRule rule = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.modelcontextprotocol..", "reactor..", "org.reactivestreams..",
                        "dev.langchain4j..", "org.springframework..");
        rule.check(engine);
    }

    @Test
    void engineDoesNotReachIntoTheAgentOrBootstrap() {
        ArchRule rule = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.policylayer.agent..", "dev.policylayer.bootstrap..");
        rule.check(engine);
    }

    @Test
    void engineNeverReadsSystemPropertiesOrTheEnvironmentItself() {
        ArchRule rule = noClasses()
                .should().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getProperties")
                .because("the agent hands the engine its settings; the engine must be testable on its own");
        rule.check(engine);
    }

    @Test
    void engineNeverWritesToStandardOutput() {
        ArchRule rule = noClasses().should().accessField(System.class, "out")
                .because("stdio MCP servers speak JSON-RPC on stdout");
        rule.check(engine);
    }
}
