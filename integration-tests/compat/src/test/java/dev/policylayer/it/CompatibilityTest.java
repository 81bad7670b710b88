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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
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
        assertTrue(server.call("limited", "{}").denied(), "counters work");
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

    /** {@code JDK25_HOME}, else a JDK 25 installed beside the JDK running the tests (its {@code release} file says). */
    private static Optional<Path> jdk25() throws IOException {
        String configured = System.getenv("JDK25_HOME");
        if (configured != null) {
            return Optional.of(Path.of(configured, "bin", "java")).filter(Files::isExecutable);
        }
        Path installed = Path.of(System.getProperty("java.home")).toRealPath().getParent();
        try (Stream<Path> jdks = Files.list(installed)) {
            return jdks.filter(jdk -> isVersion25(jdk.resolve("release"))).map(jdk -> jdk.resolve("bin/java"))
                    .filter(Files::isExecutable).findFirst();
        }
    }

    private static boolean isVersion25(Path release) {
        try {
            return Files.readAllLines(release).stream().anyMatch(line -> line.startsWith("JAVA_VERSION=\"25"));
        } catch (IOException unreadable) {
            return false;
        }
    }

    @Test
    void theAgentWorksOnJdk25() throws Exception {
        Optional<Path> java25 = jdk25();
        if (java25.isEmpty()) {
            System.out.println("SKIPPED theAgentWorksOnJdk25: no JDK 25 beside this JDK and JDK25_HOME is not set");
        }
        assumeTrue(java25.isPresent(), "no JDK 25 beside this JDK and JDK25_HOME is not set");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .java(java25.get())
                .withAgent(ForkedJvm.policyFile(POLICY))
                .start())) {
            assertEnforced(server);
            assertTrue(server.jvm().stderrLines().stream()
                    .anyMatch(l -> l.startsWith("[policylayer] instrumented MCP SDK server tools/call")), server.jvm().describe());
            // JDK 24 and later warn, into the app's stderr, on the first use of Unsafe's memory access (JEP 471)
            assertTrue(server.jvm().stderrLines().stream().noneMatch(l -> l.contains("sun.misc.Unsafe")),
                    "the counters use no terminally deprecated API: " + server.jvm().describe());
        }
    }
}
