package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Fail closed" holds when the agent's own machinery fails, not only when the policy text is wrong: a policy path
 * that is {@code /dev/zero}, a FIFO nobody writes, a file far too large for the heap, and the same swapped in for a
 * followed policy at run time. In every case the forbidden tool does not run, the server keeps answering, and
 * stderr says why.
 */
class FailClosedTest {
    /** {@code echo} listed, {@code drop_table} denied outright, everything else unlisted under default deny. */
    private static final String POLICY = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"echo\":{},"
            + "\"drop_table\":{\"action\":\"deny\"}}}";

    @TempDir
    Path dir;
    /** Where the server under test writes the name of every tool that really runs. */
    private Path runLog;

    @Test
    void aPolicyPathThatIsDevZeroDeniesEveryCallInsteadOfExhaustingTheHeap() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        try (StdioServer server = start(Path.of("/dev/zero"))) {
            assertEverythingDenied(server, "not a regular file");
        }
    }

    @Test
    void aPolicyPathThatIsAFifoNobodyWritesDeniesEveryCallWithoutHangingTheStart() throws Exception {
        Path fifo = dir.resolve("policy.json");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        try (StdioServer server = start(fifo)) {
            assertEverythingDenied(server, "not a regular file");
        }
    }

    @Test
    void aValidPolicyOfAHundredMegabytesOnASmallHeapIsRefusedByItsSize() throws Exception {
        Path huge = hugePolicy(100);
        try (StdioServer server = start(huge, "-Xmx64m")) {
            assertEverythingDenied(server, "more than the 4194304 bytes a policy file may have");
        }
    }

    @Test
    void withTheCapRaisedTheSameFileRunsTheHeapOutAndStillEveryCallIsDenied() throws Exception {
        Path huge = hugePolicy(100);
        try (StdioServer server = start(huge, "-Xmx64m", "-Dpolicylayer.policy.max-bytes=200000000")) {
            assertEverythingDenied(server, "OutOfMemoryError");
        }
    }

    @Test
    void aFollowedPolicySwappedAtRunTimeForThingsThatAreNotPoliciesKeepsThePolicyInForce() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), POLICY);
        Path fifo = dir.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        Path sparse = dir.resolve("sparse.json");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        Path half = Files.writeString(dir.resolve("half.json"), POLICY.substring(0, POLICY.length() / 2));
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        try (StdioServer server = start(policy)) {
            assertEnforced(server);
            List<Path> swaps = List.of(Path.of("/dev/zero"), directory, sparse, half, fifo);
            for (int i = 0; i < swaps.size(); i++) {
                Files.delete(policy);
                Files.createSymbolicLink(policy, swaps.get(i));
                assertEnforced(server);
                awaitRejections(server, i + 1, swaps.get(i));
                assertEnforced(server);
            }
            assertTrue(server.jvm().stderrLines().stream().noneMatch(l -> l.contains("WITHOUT enforcement")),
                    server.jvm().describe());
        }
    }

    /** drop_table and an unlisted tool are refused, the tool never runs, and the server still answers. */
    private void assertEverythingDenied(StdioServer server, String why) throws Exception {
        for (String tool : List.of("drop_table", "delete_account", "echo")) {
            ToolResult result = server.call(tool, "{}");
            assertTrue(result.denied() && result.text().contains("(policy error)") && result.text().contains(why),
                    tool + ": " + result + "\n" + server.jvm().describe());
        }
        List<String> stderr = server.jvm().stderrLines();
        assertTrue(stderr.stream().anyMatch(l -> l.contains("every tool call will be DENIED") && l.contains("closed")),
                server.jvm().describe());
        assertTrue(stderr.stream().noneMatch(l -> l.contains("WITHOUT enforcement") || l.contains("NOT enforced")),
                server.jvm().describe());
        assertTrue(Files.readString(runLog).isEmpty(), "a tool ran: " + Files.readString(runLog));
    }

    private void assertEnforced(StdioServer server) throws Exception {
        assertTrue(server.call("drop_table", "{}").denied(), server.jvm().describe());
        assertTrue(server.call("delete_account", "{}").denied(), server.jvm().describe());
        assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
        assertTrue(Files.readAllLines(runLog).stream().allMatch("echo"::equals),
                "only echo ever ran: " + Files.readAllLines(runLog));
    }

    /** Waits (polled, with a generous deadline) until the agent has rejected {@code count} edits in all. */
    private static void awaitRejections(StdioServer server, int count, Path swapped) throws Exception {
        for (long deadline = System.nanoTime() + 60_000_000_000L; server.jvm().stderrLines().stream()
                .filter(l -> l.contains("the edited policy is not valid")).count() < count; Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline, "the swap for " + swapped + " was never reported: "
                    + server.jvm().describe());
        }
    }

    private Path hugePolicy(int megabytes) throws Exception {
        // Valid, and enormous: the same listed tools, and a hide list of many names no real tool has.
        StringBuilder text = new StringBuilder(megabytes * 1_048_576 + 200);
        text.append("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"echo\":{}},\"hide\":[");
        String name = "x" + "y".repeat(1000);
        for (int i = 0; text.length() < megabytes * 1_048_576; i++) {
            text.append(i == 0 ? "" : ",").append('"').append(name).append(i).append('"');
        }
        text.append("]}");
        return Files.writeString(dir.resolve("huge.json"), text, StandardCharsets.UTF_8);
    }

    private StdioServer start(Path policy, String... options) throws Exception {
        Path runLog = Files.createFile(dir.resolve("runlog.txt"));
        ForkedJvm.Builder builder = ForkedJvm.of(FixtureServer.class.getName()).withAgent(policy)
                .option("-Dfixture.runlog=" + runLog);
        for (String option : options) {
            builder.option(option);
        }
        this.runLog = runLog;
        return new StdioServer(builder.start());
    }
}
