package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FixedWindowTest {
    private static final long ONE = CounterUnits.one();
    private static final CounterSpec FIVE_PER_MINUTE = new CounterSpec(60_000, 5 * ONE, Algorithm.FIXED);

    // 10:00:30 UTC on some day: windows are calendar minutes.
    private static final long HALF_PAST = 1_767_261_600_000L + 30_000;
    private final MutableClock clock = new MutableClock(HALF_PAST);
    private final OffHeapCounterStore store = OffHeapCounterStore.inMemory(clock, 100);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void maxPassTheNextIsRefusedUntilTheCalendarWindowEnds() {
        for (int i = 0; i < 5; i++) {
            assertTrue(store.tryAcquire("k", FIVE_PER_MINUTE, ONE).granted());
        }
        Acquisition refused = store.tryAcquire("k", FIVE_PER_MINUTE, ONE);
        assertFalse(refused.granted());
        assertEquals(30_000, refused.retryAfterMillis());
        clock.set(HALF_PAST + 29_999);
        assertFalse(store.tryAcquire("k", FIVE_PER_MINUTE, ONE).granted());
        clock.set(HALF_PAST + 30_000);
        assertTrue(store.tryAcquire("k", FIVE_PER_MINUTE, ONE).granted(), "a new minute starts from zero");
        assertEquals(ONE, store.current("k", FIVE_PER_MINUTE));
    }

    @Test
    void upToTwiceMaxCanPassAcrossABoundaryAsDocumented() {
        clock.set(HALF_PAST + 29_000);
        int passed = 0;
        for (int i = 0; i < 5; i++) {
            passed += store.tryAcquire("k", FIVE_PER_MINUTE, ONE).granted() ? 1 : 0;
        }
        clock.set(HALF_PAST + 31_000); // two seconds later, next minute
        for (int i = 0; i < 6; i++) {
            passed += store.tryAcquire("k", FIVE_PER_MINUTE, ONE).granted() ? 1 : 0;
        }
        assertEquals(10, passed);
    }

    @Test
    void refundsStayInTheirWindow() {
        Acquisition a = store.tryAcquire("k", FIVE_PER_MINUTE, 2 * ONE);
        store.release("k", FIVE_PER_MINUTE, ONE, a.ticket());
        assertEquals(ONE, store.current("k", FIVE_PER_MINUTE));
        store.release("k", FIVE_PER_MINUTE, 3 * ONE, a.ticket());
        assertEquals(0, store.current("k", FIVE_PER_MINUTE), "never below zero");

        Acquisition old = store.tryAcquire("k", FIVE_PER_MINUTE, ONE);
        clock.advance(60_000);
        assertTrue(store.tryAcquire("k", FIVE_PER_MINUTE, ONE).granted());
        store.release("k", FIVE_PER_MINUTE, ONE, old.ticket());
        assertEquals(ONE, store.current("k", FIVE_PER_MINUTE), "an expired window's refund is ignored");
    }

    @Test
    void anAmountOverMaxIsNeverGranted() {
        Acquisition a = store.tryAcquire("k", FIVE_PER_MINUTE, 6 * ONE);
        assertFalse(a.granted());
        assertEquals(0, a.retryAfterMillis());
    }
}
