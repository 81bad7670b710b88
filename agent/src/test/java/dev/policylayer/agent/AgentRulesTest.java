package dev.policylayer.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the agent may never do to the application it runs in. */
class AgentRulesTest {
    private static JavaClasses agent;

    @BeforeAll
    static void importAgent() {
        agent = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.policylayer.agent", "dev.policylayer.bootstrap");
    }

    @Test
    void nothingWritesToStandardOutput() {
        noClasses().should().accessField(System.class, "out")
                .because("a stdio MCP server speaks JSON-RPC on stdout").check(agent);
    }

    @Test
    void theAgentNeverLinksAgainstTheSdkReactorOrJackson() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.modelcontextprotocol..", "reactor..",
                "org.reactivestreams..", "tools.jackson..")
                .because("their versions are the application's: the agent reaches them by reflection only")
                .check(agent);
    }

    @Test
    void inlinedAdviceCallsNothingButTheBootClassPathGate() {
        classes().that().haveSimpleNameEndingWith("Advice")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.policylayer.bootstrap..", "java.lang..",
                        "net.bytebuddy.asm..", "net.bytebuddy.implementation.bytecode.assign..")
                .because("advice is copied into SDK classes of any class loader, which can see only the boot path")
                .check(agent);
    }

    @Test
    void theBootstrapUsesJdkTypesOnly() {
        classes().that().resideInAPackage("dev.policylayer.bootstrap..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.policylayer.bootstrap..", "java..")
                .check(agent);
    }
}
