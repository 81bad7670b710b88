package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedFileCounterTest {
    private static final long ONE = CounterUnits.one();
    private static final CounterSpec SLIDING = new CounterSpec(60_000, 5 * ONE, Algorithm.SLIDING);
    private static final CounterSpec FIXED = new CounterSpec(60_000, 5 * ONE, Algorithm.FIXED);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);

    @Test
    void twoStoresOnOneFileShareTheirCounts() {
        Path file = dir.resolve("sub/counters.dat");
        try (OffHeapCounterStore a = OffHeapCounterStore.sharedFile(file, clock, 100);
             OffHeapCounterStore b = OffHeapCounterStore.sharedFile(file, clock, 100)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(a.tryAcquire("global:calls", SLIDING, ONE).granted());
                assertTrue(b.tryAcquire("global:spend", FIXED, ONE).granted());
            }
            assertTrue(b.tryAcquire("global:calls", SLIDING, ONE).granted());
            assertTrue(b.tryAcquire("global:calls", SLIDING, ONE).granted());
            assertFalse(a.tryAcquire("global:calls", SLIDING, ONE).granted(), "5 counted across both stores");
            assertFalse(b.tryAcquire("global:calls", SLIDING, ONE).granted());
            assertEquals(3 * ONE, a.current("global:spend", FIXED));
            assertEquals(5 * ONE, b.current("global:calls", SLIDING));
        }
    }

    @Test
    void countsOfLongKeysSurviveReopeningAndTheFileNeverGrows() throws Exception {
        Path file = dir.resolve("counters.dat");
        String padding = "x".repeat(600); // keys far longer than the text a slot keeps: counted by their hash
        CounterSpec budget = new CounterSpec(60_000, 100 * ONE, Algorithm.FIXED);
        try (OffHeapCounterStore store = OffHeapCounterStore.sharedFile(file, clock, 20)) {
            long fresh = Files.size(file);
            for (int i = 0; i < 20; i++) {
                assertTrue(store.tryAcquire(padding + i, budget, (i + 1) * ONE).granted(), "key " + i);
            }
            assertEquals(fresh, Files.size(file), "laid out in full when created: a full disk shows then, not later");
        }
        try (OffHeapCounterStore reopened = OffHeapCounterStore.sharedFile(file, clock, 20)) {
            assertEquals(20, reopened.size());
            for (int i = 0; i < 20; i++) {
                assertEquals((i + 1) * ONE, reopened.current(padding + i, budget));
            }
        }
    }

    @Test
    void aFileThatIsNotACounterFileIsRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("counters.dat");
        byte[] garbage = "this is not a counter file\n".repeat(4000).getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);
        CounterStoreOpenException e = assertThrows(CounterStoreOpenException.class,
                () -> OffHeapCounterStore.sharedFile(file, clock, 100));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("counters reset"), e.getMessage());
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsRefused() throws Exception {
        Path file = Files.createDirectories(dir.resolve("counters.dat"));
        CounterStoreOpenException e = assertThrows(CounterStoreOpenException.class,
                () -> OffHeapCounterStore.sharedFile(file, clock, 100));
        assertTrue(e.getMessage().contains(file + " is not a regular file"), e.getMessage());
    }

    @Test
    void aFileDeletedWhileInUseFailsClosedInsteadOfSplittingTheCounts() throws Exception {
        Path file = dir.resolve("counters.dat");
        try (OffHeapCounterStore store = OffHeapCounterStore.sharedFile(file, clock, 100)) {
            assertTrue(store.tryAcquire("a", FIXED, ONE).granted());
            Files.delete(file);
            Acquisition after = store.tryAcquire("b", FIXED, ONE);
            assertFalse(after.granted());
            assertTrue(after.failure().contains(file + " was deleted while in use"), after.failure());
            assertFalse(store.tryAcquire("a", FIXED, ONE).granted(), "every counter fails closed from now on");
        }
    }

    @Test
    void aCounterReclaimedByAnotherStoreIsNeverWrittenThroughAStaleAddress() {
        Path file = dir.resolve("counters.dat");
        CounterSpec tenSeconds = new CounterSpec(10_000, 100 * ONE, Algorithm.SLIDING);
        try (OffHeapCounterStore a = OffHeapCounterStore.sharedFile(file, clock, 100);
             OffHeapCounterStore b = OffHeapCounterStore.sharedFile(file, clock, 100)) {
            assertTrue(a.tryAcquire("k", tenSeconds, 7 * ONE).granted()); // a caches k's address
            clock.advance(11_000);
            assertEquals(1, b.reclaimExpired(), "b removes the idle k");
            for (int i = 0; i < 50; i++) { // b fills the freed space with other counters
                assertTrue(b.tryAcquire("other-" + i, tenSeconds, (i + 1) * ONE).granted());
            }
            assertTrue(a.tryAcquire("k", tenSeconds, ONE).granted(), "a notices and starts k afresh");
            assertEquals(ONE, a.current("k", tenSeconds));
            assertEquals(ONE, b.current("k", tenSeconds));
            for (int i = 0; i < 50; i++) {
                assertEquals((i + 1) * ONE, b.current("other-" + i, tenSeconds), "other-" + i + " untouched");
            }
        }
    }
}
