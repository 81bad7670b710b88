package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;

/**
 * A process killed while holding Chronicle's locks and a counter pin: the next process to open the file
 * alone repairs it, instead of every new counter waiting out Chronicle's lock timeout.
 */
class CrashRecoveryTest {
    private static final CounterSpec SPEC = new CounterSpec(10_000, 100, Algorithm.SLIDING);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFileLeftLockedByAKilledProcessIsRepairedByTheNextOneToOpenIt() throws Exception {
        Path file = dir.resolve("counters.dat");
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        try (ChronicleCounterStore store = ChronicleCounterStore.sharedFile(file, clock, 100)) {
            assertTrue(store.tryAcquire("k", SPEC, 3).granted());
        }
        Process child = ForkedJvm.start(dir, "crash", DiesHoldingLocks.class.getName(), file.toString());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(77, child.exitValue(), ForkedJvm.stderr(dir, "crash"));

        try (ChronicleCounterStore store = ChronicleCounterStore.sharedFile(file, clock, 100)) {
            assertEquals(3, store.current("k", SPEC), "the counts survived");
            assertTrue(store.tryAcquire("new", SPEC, 1).granted(), "inserting no longer waits for the dead locks");
            clock.advance(11_000);
            assertEquals(2, store.reclaimExpired(), "k (pinned by the dead process) and new are both reclaimed");
            assertEquals(0, store.size());
        }
    }

    /** The child: pins k and takes the write lock where the next counter goes, then dies holding both. */
    static final class DiesHoldingLocks {
        public static void main(String[] args) throws Exception {
            ChronicleSetup.prepare();
            ChronicleMap<CharSequence, byte[]> map = ChronicleMapBuilder.of(CharSequence.class, byte[].class)
                    .entries(200).averageKeySize(64)
                    .constantValueSizeBySample(new byte[CounterBlock.VALUE_BYTES])
                    .createPersistedTo(Path.of(args[0]).toFile());
            try (ExternalMapQueryContext<CharSequence, byte[], ?> k =
                         map.queryContext(ChronicleCounterStore.mapKey("k", SPEC))) {
                k.readLock().lock();
                long block = ChronicleCounterStore.block(k.entry());
                if (!CounterBlock.pin(block, CounterBlock.incarnation(block))) {
                    System.exit(1);
                }
            }
            // The lock of the segment that the parent's next new counter goes into, never released.
            ExternalMapQueryContext<CharSequence, byte[], ?> next =
                    map.queryContext(ChronicleCounterStore.mapKey("new", SPEC));
            next.writeLock().lock();
            Runtime.getRuntime().halt(77);
        }
    }
}
