package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening Chronicle in a fresh JVM writes nothing to stdout (an MCP stdio server speaks JSON-RPC
 * there), nothing from Chronicle or SLF4J to stderr, and no analytics files into the user's home.
 */
class ChronicleQuietStartTest {
    @TempDir
    Path dir;

    @Test
    void aFreshJvmOpensBothStoresSilentlyAndLeavesTheHomeDirectoryAlone() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Process child = ForkedJvm.start(dir, "quiet", List.of("-Duser.home=" + home),
                QuietStart.class.getName(), dir.resolve("counters.dat").toString());
        ForkedJvm.awaitSuccess(child, dir, "quiet");

        assertEquals("", ForkedJvm.stdout(dir, "quiet"));
        // Only the JVM's own notices may appear (JDK 24+ warns once about sun.misc.Unsafe, which Chronicle uses).
        List<String> stderr = ForkedJvm.stderr(dir, "quiet").lines()
                .filter(line -> !line.isBlank() && !line.startsWith("WARNING: ")).toList();
        assertEquals(List.of(), stderr);
        try (Stream<Path> files = Files.list(home)) {
            assertEquals(List.of(), files.toList(), "nothing written into user.home");
        }
    }

    @Test
    void chronicleAnalyticsIsNotEvenOnTheClassPath() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
    }

    /** The child process. */
    static final class QuietStart {
        public static void main(String[] args) {
            CounterSpec spec = new CounterSpec(60_000, 10, Algorithm.SLIDING);
            try (ChronicleCounterStore shared = ChronicleCounterStore.sharedFile(Path.of(args[0]), Clock.systemUTC(), 100);
                 ChronicleCounterStore local = ChronicleCounterStore.inMemory(Clock.systemUTC(), 100)) {
                if (!shared.tryAcquire("k", spec, 1).granted() || !local.tryAcquire("k", spec, 1).granted()) {
                    System.exit(3);
                }
            }
        }
    }
}
