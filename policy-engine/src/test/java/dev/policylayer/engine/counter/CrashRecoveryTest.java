package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while it held the counters' cold-path lock (creating a counter) and a pin on a counter: the
 * processes still using the file take the lock over at once instead of waiting on a dead holder, and nothing they
 * counted is lost; the pin, which only stops the counter from being reclaimed, is cleared by the next process that
 * opens the file alone.
 */
class CrashRecoveryTest {
    private static final CounterSpec SPEC = new CounterSpec(10_000, 100, Algorithm.SLIDING);

    @TempDir
    Path dir;

    @Test
    void aLockLeftByAKilledProcessIsTakenOverWhileOthersRunAndItsPinIsClearedLater() throws Exception {
        Path file = dir.resolve("counters.dat");
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        try (OffHeapCounterStore survivor = OffHeapCounterStore.sharedFile(file, clock, 100)) {
            assertTrue(survivor.tryAcquire("k", SPEC, 3).granted());
            Process child = ForkedJvm.start(dir, "crash", DiesHoldingTheLock.class.getName(), file.toString());
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child neither died nor finished");
            assertEquals(77, child.exitValue(), ForkedJvm.stderr(dir, "crash"));

            java.util.List<Long> recovered = new java.util.concurrent.CopyOnWriteArrayList<>();
            OffHeapCounterStore.onLockRecovered((path, pid) -> recovered.add(pid));
            try {
                Acquisition created = survivor.tryAcquire("new", SPEC, 1);
                assertTrue(created.granted(), "a new counter is created while the dead process's lock is there: "
                        + created.failure());
                assertEquals(1, recovered.size(), "taken over from the dead process, once");
                assertEquals(child.pid(), recovered.get(0));
            } finally {
                OffHeapCounterStore.onLockRecovered((path, pid) -> { });
            }
            assertEquals(3, survivor.current("k", SPEC), "the counts survived");
            clock.advance(11_000);
            assertEquals(1, survivor.reclaimExpired(), "new goes; k stays, pinned by the dead process");
        }
        try (OffHeapCounterStore alone = OffHeapCounterStore.sharedFile(file, clock, 100)) {
            assertEquals(1, alone.reclaimExpired(), "opened alone, the dead pin is cleared and k can go");
            assertEquals(0, alone.size());
        }
    }

    /** The child: pins k, takes the cold-path lock, and dies holding both. */
    static final class DiesHoldingTheLock {
        public static void main(String[] args) throws Exception {
            OffHeapCounterStore store = OffHeapCounterStore.sharedFile(Path.of(args[0]), java.time.Clock.systemUTC(),
                    100);
            store.holdForCrashTest("k", SPEC);
            Runtime.getRuntime().halt(77);
        }
    }
}
