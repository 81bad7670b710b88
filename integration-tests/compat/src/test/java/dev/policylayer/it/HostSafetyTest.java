package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.AgentJar;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.Json;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent at the edges of what a host survives: an audit pointed at the JSON-RPC stream, a tool name of ten
 * megabytes, a flood of distinct long names on a small heap, counters on a full disk, and the command line on a
 * damaged file.
 */
class HostSafetyTest {
    private static final String POLICY = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"echo\":{},"
            + "\"limited\":{\"limits\":[{\"counter\":\"limited\",\"max\":1000,\"window\":\"1h\"}]}}}";
    /** Every tool allowed, and counted per tool: each new name is a new counter. */
    private static final String EVERY_NAME_COUNTED = "{\"version\":\"1\",\"default\":\"allow\",\"all_tools\":"
            + "{\"limits\":[{\"counter\":\"per_tool\",\"max\":1000,\"window\":\"1h\",\"scope\":\"tool\"}]}}";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"/dev/stdout", "/proc/self/fd/1", "stdout", "/dev/fd/1"})
    void anAuditIntoStandardOutputIsRefusedAndTheStreamStaysJsonRpc(String target) throws Exception {
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.audit=" + target).start())) {
            for (int i = 0; i < 7; i++) {
                assertEquals(new ToolResult(false, "echo: " + i), server.call("echo", "{\"text\":\"" + i + "\"}"));
            }
            assertTrue(server.call("drop_table", "{}").denied());
            for (String line : server.jvm().stdoutLines()) {
                assertEquals("2.0", Json.object(line).get("jsonrpc"), "not JSON-RPC on stdout: " + line);
            }
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("the decision audit cannot be"
                    + " written to " + target) && l.contains("policylayer.audit=stderr")), server.jvm().describe());
        }
    }

    @Test
    void aTenMegabyteToolNameIsDeniedWithAShortAnswer() throws Exception {
        String name = "n".repeat(10 * 1024 * 1024);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dfixture.inputMaxSize=" + 32 * 1024 * 1024)
                .start())) {
            ToolResult denied = server.call(name, "{}");
            assertTrue(denied.denied() && denied.text().contains("(default deny)"), denied.text().substring(0, 300));
            assertTrue(denied.text().contains("…(10485760 characters, sha256 "), denied.text());
            assertTrue(denied.text().length() < 600, "the denial's length: " + denied.text().length());
            List<String> stdout = server.jvm().stdoutLines();
            assertTrue(stdout.get(stdout.size() - 1).length() < 1000, "the whole response line is short");
            assertTrue(server.jvm().stderrLines().stream().allMatch(l -> l.length() < 2000), "no long log line");
            assertEquals(new ToolResult(false, "echo: after"), server.call("echo", "{\"text\":\"after\"}"));
        }
    }

    @Test
    void aFloodOfDistinctLongToolNamesOnASmallHeapKeepsEverythingBounded() throws Exception {
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(EVERY_NAME_COUNTED)).option("-Xmx64m")
                .start())) {
            for (int i = 0; i < 300; i++) {
                // Every name a new plan, a new per-tool counter, a new metrics entry: 300 x 256 KB = 75 MB of names.
                // Allowed by the policy and counted; then the SDK finds no such tool (and answers with an error).
                String name = i + "-" + "x".repeat(256 * 1024);
                assertTrue(server.call(name, "{}").isError(), "call " + i);
            }
            assertEquals(new ToolResult(false, "echo: still here"), server.call("echo", "{\"text\":\"still here\"}"));
            assertTrue(server.jvm().stderrLines().stream().noneMatch(l -> l.contains("OutOfMemoryError")),
                    server.jvm().describe());
        }
    }

    @Test
    void threeServersOnAFullDiskAnswerEveryLimitedCallAtOnce() throws Exception {
        Path full = Files.createDirectories(dir.resolve("full"));
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", full.toString())
                .start().waitFor() == 0, "cannot mount a small tmpfs here (needs root)");
        List<StdioServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                servers.add(new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                        .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.counters=" + full
                                .resolve("counters.dat")).start()));
            }
            for (int round = 0; round < 3; round++) {
                for (StdioServer server : servers) {
                    long start = System.nanoTime();
                    ToolResult limited = server.call("limited", "{}");
                    long took = System.nanoTime() - start;
                    assertTrue(limited.denied() && limited.text().contains("cannot be counted"), limited.text());
                    // A liveness limit: each call used to wait 10 s for a store that could not open.
                    assertTrue(took < 5_000_000_000L, "a limited call took " + took / 1_000_000 + " ms");
                    assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
                }
            }
            assertTrue(servers.get(0).jvm().stderrLines().stream().anyMatch(l -> l.contains("disk full")),
                    servers.get(0).jvm().describe());
        } finally {
            servers.forEach(StdioServer::close);
            new ProcessBuilder("umount", full.toString()).start().waitFor();
        }
    }

    @Test
    void theCountersCommandOnADamagedFileSaysSoInOneLine() throws Exception {
        Path counters = dir.resolve("counters.dat");
        Files.write(counters, new byte[1 << 20]);
        try (ForkedJvm cli = ForkedJvm.ofJar(AgentJar.path()).argument("counters").argument(counters.toString())
                .start()) {
            assertEquals(1, cli.waitFor(60));
            List<String> stderr = cli.stderrLines();
            assertEquals(1, stderr.size(), String.join("\n", stderr));
            assertTrue(stderr.get(0).contains("is not a counter file"), stderr.get(0));
            assertFalse(stderr.get(0).contains("Exception"), stderr.get(0));
        }
    }

    @Test
    void theCountersCommandReadsAFileInUseAndResetRefusesWhileItIsUsed() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.counters=" + counters).start())) {
            assertEquals(new ToolResult(false, "limited ran"), server.call("limited", "{}"));
            try (ForkedJvm list = ForkedJvm.ofJar(AgentJar.path()).argument("counters").argument(counters.toString())
                    .start()) {
                assertEquals(0, list.waitFor(60), list.describe());
                assertTrue(list.stdoutLines().stream().anyMatch(l -> l.startsWith("limited ") && l.endsWith(" 1")),
                        list.stdoutLines().toString());
            }
            try (ForkedJvm reset = ForkedJvm.ofJar(AgentJar.path()).argument("counters").argument("reset")
                    .argument(counters.toString()).start()) {
                assertEquals(1, reset.waitFor(60));
                assertEquals(List.of("counter file " + counters + " is still in use by running processes; stop them"
                        + " first"), reset.stderrLines());
            }
        }
        try (ForkedJvm reset = ForkedJvm.ofJar(AgentJar.path()).argument("counters").argument("reset")
                .argument(counters.toString()).start()) {
            assertEquals(0, reset.waitFor(60), reset.describe());
            assertFalse(Files.exists(counters));
        }
    }
}
