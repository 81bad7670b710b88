package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a shared counter file beside a store that keeps counting in it. */
class CounterFileReaderTest {
    private static final long ONE = CounterUnits.one();
    private static final CounterSpec SLIDING = new CounterSpec(60_000, 5 * ONE, Algorithm.SLIDING);
    private static final CounterSpec FIXED = new CounterSpec(3_600_000, 100 * ONE, Algorithm.FIXED);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);

    @Test
    void listsEachCounterWithWhatCountsInItsWindowAndChangesNothing() {
        Path file = dir.resolve("counters.dat");
        try (OffHeapCounterStore store = OffHeapCounterStore.sharedFile(file, clock, 100)) {
            store.tryAcquire("tool:5:calls:6:search", SLIDING, ONE);
            store.tryAcquire("tool:5:calls:6:search", SLIDING, ONE);
            store.tryAcquire("grant:5:spend:6:team-a", FIXED, CounterUnits.of(new BigDecimal("12.5")));

            List<CounterReading> readings = CounterFileReader.read(file, clock);
            assertEquals(List.of(
                    new CounterReading("calls", "tool", "search", Algorithm.SLIDING, 60_000, new BigDecimal("2")),
                    new CounterReading("spend", "grant", "team-a", Algorithm.FIXED, 3_600_000,
                            new BigDecimal("12.5"))), readings);

            // The store goes on counting where it was: reading took nothing and gave nothing back.
            assertEquals(2 * ONE, store.current("tool:5:calls:6:search", SLIDING));
            assertTrue(store.tryAcquire("tool:5:calls:6:search", SLIDING, 3 * ONE).granted());
            assertEquals(List.of(new BigDecimal("5"), new BigDecimal("12.5")),
                    CounterFileReader.read(file, clock).stream().map(CounterReading::inWindow).toList());
        }
    }

    @Test
    void aMissingFileOrOneOfAnotherProgramIsAClearError() throws Exception {
        CounterStoreOpenException missing = assertThrows(CounterStoreOpenException.class,
                () -> CounterFileReader.read(dir.resolve("nope.dat"), clock));
        assertTrue(missing.getMessage().startsWith("no counter file at "), missing.getMessage());

        Path other = dir.resolve("other.dat");
        Files.writeString(other, "{\"not\": \"a counter file\"}\n".repeat(2000));
        CounterStoreOpenException foreign = assertThrows(CounterStoreOpenException.class,
                () -> CounterFileReader.read(other, clock));
        assertTrue(foreign.getMessage().contains(other.getFileName().toString()), foreign.getMessage());
    }

    @Test
    void keysAreParsedByLengthSoNoNameCanForgeAnother() {
        assertEquals(List.of("session", "a:1:b", "x:2"),
                List.of(CounterFileReader.parseKey("session:5:a:1:b:3:x:2\u0000S60000", false)));
    }
}
