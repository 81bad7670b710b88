package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.Json;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent beside the app's own Jackson 3 and Byte Buddy, and on the newest JDK. */
class CompatibilityTest {
    private static final String POLICY = """
            {"version":"1","default":"allow","hide":["delete_account"],
             "tools":{"drop_table":{"action":"deny"},"limited":{"rate_limit":{"max":1,"window":60}}}}""";

    private static void assertEnforced(StdioServer server) throws Exception {
        assertFalse(server.listToolNames().contains("delete_account"));
        assertTrue(server.call("drop_table", "{}").denied());
        assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
        assertFalse(server.call("limited", "{}").isError());
        assertTrue(server.call("limited", "{}").denied(), "counters work (Chronicle, relocated)");
        for (String line : server.jvm().stdoutLines()) {
            assertEquals("2.0", Json.object(line).get("jsonrpc"), line);
        }
    }

    @Test
    void theAppsOwnJackson3AndByteBuddyWorkBesideTheAgent() throws Exception {
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY))
                .option("-Dfixture.appLibraries=true")
                .start())) {
            assertEnforced(server);
            List<String> stderr = server.jvm().stderrLines();
            assertTrue(stderr.stream().anyMatch(l -> l.startsWith("fixture app libraries: Byte Buddy from byte-buddy-1.14.18.jar generated")
                    && l.endsWith("Jackson 3 wrote {\"app\":\"jackson3\"}")), server.jvm().describe());
        }
    }

    @Test
    void theAgentWorksOnJdk25() throws Exception {
        Path java25 = Path.of(System.getProperty("it.jdk25.home", ""), "bin", "java");
        if (!Files.isExecutable(java25)) {
            System.out.println("SKIPPED theAgentWorksOnJdk25: no JDK 25 at " + java25);
        }
        assumeTrue(Files.isExecutable(java25), "no JDK 25 at " + java25);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .java(java25)
                .withAgent(ForkedJvm.policyFile(POLICY))
                .start())) {
            assertEnforced(server);
            assertTrue(server.jvm().stderrLines().stream()
                    .anyMatch(l -> l.startsWith("[policylayer] instrumented server tools/call")), server.jvm().describe());
        }
    }
}
