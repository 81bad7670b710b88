package dev.policylayer.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the agent may never do to the application it runs in, and how its rooms keep apart. */
class AgentRulesTest {
    private static JavaClasses agent;

    @BeforeAll
    static void importAgent() {
        agent = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.policylayer.agent", "dev.policylayer.bootstrap", "dev.policylayer.launcher",
                        "dev.policylayer.cli");
    }

    @Test
    void nothingWritesToStandardOutputButTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("dev.policylayer.cli..")
                .should().accessField(System.class, "out")
                .because("a stdio MCP server speaks JSON-RPC on stdout").check(agent);
    }

    @Test
    void theAgentNeverLinksAgainstTheLibrariesItInstruments() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.modelcontextprotocol..", "reactor..",
                "org.reactivestreams..", "tools.jackson..", "dev.langchain4j..", "org.springframework..", "jakarta..")
                .because("their versions are the application's: the agent reaches them by reflection only")
                .check(agent);
    }

    @Test
    void inlinedAdviceCallsNothingButTheBootClassPathGate() {
        classes().that().haveSimpleNameEndingWith("Advice")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.policylayer.bootstrap..", "java.lang..",
                        "net.bytebuddy.asm..", "net.bytebuddy.implementation.bytecode.assign..")
                .because("advice is copied into library classes of any class loader, which can see only the boot"
                        + " class path")
                .check(agent);
    }

    @Test
    void theBootstrapUsesJdkTypesOnly() {
        classes().that().resideInAPackage("dev.policylayer.bootstrap..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.policylayer.bootstrap..", "java..")
                .check(agent);
    }

    @Test
    void theLauncherUsesJdkTypesOnly() {
        classes().that().resideInAPackage("dev.policylayer.launcher..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.policylayer.launcher..", "java..")
                .because("it is all the application's class loader can see of the agent; the rest lives in the"
                        + " agent's own class loader")
                .check(agent);
    }

    @Test
    void theGateKnowsNoLibrary() {
        noClasses().that().resideInAnyPackage("dev.policylayer.agent.gate..", "dev.policylayer.agent.caller..",
                        "dev.policylayer.agent.instrument..",
                        "dev.policylayer.agent.startup..", "dev.policylayer.agent.audit..",
                        "dev.policylayer.agent.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.policylayer.agent.integration.*..")
                .because("what is done to one library lives in its own folder under integration")
                .check(agent);
    }

    @Test
    void integrationsDoNotReachIntoEachOther() {
        slices().matching("dev.policylayer.agent.integration.(*)..").should().notDependOnEachOther()
                .because("one folder per library: the MCP SDK's, LangChain4j's")
                .check(agent);
    }
}
