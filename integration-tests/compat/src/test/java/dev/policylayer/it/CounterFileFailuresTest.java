package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared counter file that is damaged, cut short or deleted under a running server: calls with limits are
 * denied saying why (or let through uncounted with {@code policylayer.fail=open}), calls without limits go on,
 * and nothing crashes or hangs.
 */
class CounterFileFailuresTest {
    /** A limit no test reaches: a test may call as often as it needs to until the store notices the damage. */
    private static final String POLICY = "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"limited\":"
            + "{\"limits\":[{\"counter\":\"limited\",\"max\":100000,\"window\":\"1h\"}]}}}";

    @TempDir
    Path dir;

    @Test
    void aFileOfAnotherProgramDeniesLimitedCallsAtOnceAndSaysWhich() throws Exception {
        Path counters = dir.resolve("counters.dat");
        Files.writeString(counters, "these are not counters\n".repeat(1000));
        try (StdioServer server = start(counters, "closed")) {
            ToolResult limited = server.call("limited", "{}");
            assertTrue(limited.denied() && limited.text().contains("cannot be counted")
                    && limited.text().contains("not a counter file"), limited.toString());
            assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("counters could not be opened (shared file "
                    + counters + ")")), server.jvm().describe());
        }
    }

    @Test
    void aZeroedFileIsRefusedWithoutWaitingForChronicle() throws Exception {
        Path counters = dir.resolve("counters.dat");
        Files.write(counters, new byte[1 << 20]); // Chronicle alone would wait a minute for a header here
        try (StdioServer server = start(counters, "closed")) {
            long start = System.nanoTime();
            ToolResult limited = server.call("limited", "{}");
            long took = System.nanoTime() - start;
            assertTrue(limited.denied() && limited.text().contains("not a counter file"), limited.toString());
            // A liveness limit, not a speed target: waiting for Chronicle's header would take a full minute.
            assertTrue(took < 45_000_000_000L, "took " + took / 1_000_000 + " ms: it waited for the header");
        }
    }

    @Test
    void aTruncatedFileDeniesLimitedCallsAndTheServerKeepsWorking() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = start(counters, "closed")) {
            assertFalse(server.call("limited", "{}").isError());
        }
        try (RandomAccessFile file = new RandomAccessFile(counters.toFile(), "rw")) {
            file.setLength(4096); // the header survives, the segments are gone
        }
        try (StdioServer server = start(counters, "closed")) {
            ToolResult limited = server.call("limited", "{}");
            assertTrue(limited.denied() && limited.text().contains("was cut short"), limited.toString());
            assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
        }
    }

    @Test
    void aFileCutShortWhileInUseIsLeftAloneBeforeItCanFault() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = start(counters, "closed")) {
            assertFalse(server.call("limited", "{}").isError());
            try (RandomAccessFile file = new RandomAccessFile(counters.toFile(), "rw")) {
                file.setLength(4096);
            }
            ToolResult limited = untilDenied(server); // the store looks at its file about once a second
            assertTrue(limited.text().contains("was cut short while in use"), limited.toString());
            assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
        }
    }

    @Test
    void aFileThisProcessCannotWriteDeniesLimitedCallsAndSaysWhatToFix() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = start(counters, "closed")) {
            assertFalse(server.call("limited", "{}").isError()); // a real counter file, in use once
        }
        // Tests run as root here, whom permissions do not stop: the immutable attribute stops everyone.
        Assumptions.assumeTrue(chattr("+i", counters), "this file system cannot make a file immutable");
        try (StdioServer server = start(counters, "closed")) {
            ToolResult limited = server.call("limited", "{}");
            assertTrue(limited.denied() && limited.text().contains("not readable and writable"), limited.toString());
            assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
        } finally {
            chattr("-i", counters);
        }
    }

    private static boolean chattr(String flag, Path file) throws Exception {
        try {
            Process chattr = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            chattr.getInputStream().readAllBytes();
            return chattr.waitFor() == 0;
        } catch (java.io.IOException noChattr) {
            return false;
        }
    }

    @Test
    void aFileDeletedWhileInUseStopsCountingAndDenies() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = start(counters, "closed")) {
            assertFalse(server.call("limited", "{}").isError());
            Files.delete(counters);
            ToolResult limited = untilDenied(server); // the store looks at its file about once a second
            assertTrue(limited.text().contains("was deleted while in use"), limited.toString());
        }
    }

    @Test
    void failOpenLetsLimitedCallsThroughUncountedWithAWarning() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = start(counters, "open")) {
            assertFalse(server.call("limited", "{}").isError());
            Files.delete(counters);
            // Every call runs; once the store has noticed (within about a second), it says so, once.
            for (long deadline = System.nanoTime() + 60_000_000_000L; server.jvm().stderrLines().stream()
                    .noneMatch(l -> l.contains("let through uncounted") && l.contains("was deleted while in use")); ) {
                assertTrue(System.nanoTime() < deadline, server.jvm().describe());
                assertEquals(new ToolResult(false, "limited ran"), server.call("limited", "{}"));
            }
            assertEquals(new ToolResult(false, "limited ran"), server.call("limited", "{}"));
        }
    }

    /** Calls the limited tool until it is denied (the store notices damage about once a second), bounded. */
    private static ToolResult untilDenied(StdioServer server) throws Exception {
        for (long deadline = System.nanoTime() + 60_000_000_000L; ; ) {
            ToolResult limited = server.call("limited", "{}");
            if (limited.isError()) {
                assertTrue(limited.denied(), limited.toString());
                return limited;
            }
            assertTrue(System.nanoTime() < deadline, "never denied: " + server.jvm().describe());
        }
    }

    private static StdioServer start(Path counters, String fail) throws Exception {
        return new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.counters=" + counters)
                .option("-Dpolicylayer.fail=" + fail).start());
    }
}
