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
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared counter file that is damaged, cut short or deleted under a running server: calls with limits are
 * denied saying why (or let through uncounted with {@code policylayer.fail=open}), calls without limits go on,
 * and nothing crashes or hangs.
 */
class CounterFileFailuresTest {
    private static final String POLICY = "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"limited\":"
            + "{\"limits\":[{\"counter\":\"limited\",\"max\":5,\"window\":\"1h\"}]}}}";

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
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("counters could not be opened at "
                    + counters)), server.jvm().describe());
        }
    }

    @Test
    void aZeroedFileIsRefusedWithoutWaitingForChronicle() throws Exception {
        Path counters = dir.resolve("counters.dat");
        Files.write(counters, new byte[1 << 20]); // Chronicle alone would wait a minute for a header here
        try (StdioServer server = start(counters, "closed")) {
            long[] normal = new long[3];
            for (int i = 0; i < normal.length; i++) {
                long start = System.nanoTime();
                server.call("echo", "{\"text\":\"hi\"}");
                normal[i] = System.nanoTime() - start;
            }
            Arrays.sort(normal);
            long start = System.nanoTime();
            ToolResult limited = server.call("limited", "{}");
            long took = System.nanoTime() - start;
            assertTrue(limited.denied() && limited.text().contains("not a counter file"), limited.toString());
            // A ratio to a normal call in the same JVM, generous for a loaded machine: waiting for Chronicle
            // would take a minute, thousands of times a call.
            assertTrue(took < 100 * normal[1], "took " + took / 1_000_000 + " ms, a normal call "
                    + normal[1] / 1_000_000 + " ms");
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
            Thread.sleep(1200); // the store looks at its file about once a second
            ToolResult limited = server.call("limited", "{}");
            assertTrue(limited.denied() && limited.text().contains("was cut short while in use"), limited.toString());
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
            Thread.sleep(1200); // the store looks at its file about once a second
            ToolResult limited = server.call("limited", "{}");
            assertTrue(limited.denied() && limited.text().contains("was deleted while in use"), limited.toString());
        }
    }

    @Test
    void failOpenLetsLimitedCallsThroughUncountedWithAWarning() throws Exception {
        Path counters = dir.resolve("counters.dat");
        try (StdioServer server = start(counters, "open")) {
            assertFalse(server.call("limited", "{}").isError());
            Files.delete(counters);
            Thread.sleep(1200);
            assertEquals(new ToolResult(false, "limited ran"), server.call("limited", "{}"));
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("let through uncounted")
                    && l.contains("was deleted while in use")), server.jvm().describe());
        }
    }

    private static StdioServer start(Path counters, String fail) throws Exception {
        return new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.counters=" + counters)
                .option("-Dpolicylayer.fail=" + fail).start());
    }
}
