package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    // 16 s window: 16 buckets of exactly 1 s, so expectations are easy to read.
    private static final CounterSpec TEN_PER_16S = new CounterSpec(16_000, 10, Algorithm.SLIDING);
    private static final long ONE = CounterUnits.one();

    private final MutableClock clock = new MutableClock(1_000_000_000L);
    private final OffHeapCounterStore store = OffHeapCounterStore.inMemory(clock, 100);

    @AfterEach
    void close() {
        store.close();
    }

    private CounterSpec units(long max) {
        return new CounterSpec(16_000, max * ONE, Algorithm.SLIDING);
    }

    @Test
    void maxCallsPassTheNextIsRefusedWithTheTimeUntilTheOldestBucketLeaves() {
        CounterSpec spec = units(10);
        for (int i = 0; i < 10; i++) {
            Acquisition a = store.tryAcquire("k", spec, ONE);
            assertTrue(a.granted(), "call " + (i + 1));
            assertNull(a.failure());
        }
        clock.advance(250);
        Acquisition refused = store.tryAcquire("k", spec, ONE);
        assertFalse(refused.granted());
        assertNull(refused.failure());
        // The calls went into bucket [1_000_000_000, 1_000_001_000); it leaves the window at 1_000_017_000.
        assertEquals(1_000_017_000L - clock.millis(), refused.retryAfterMillis());
        assertEquals(10 * ONE, store.current("k", spec));

        clock.set(1_000_017_000L - 1);
        assertFalse(store.tryAcquire("k", spec, ONE).granted(), "one ms early");
        clock.set(1_000_017_000L);
        assertTrue(store.tryAcquire("k", spec, ONE).granted(), "the window freed up");
        assertEquals(ONE, store.current("k", spec));
    }

    @Test
    void neverMoreThanMaxInAnyWindowWhenCallsSpreadOverBuckets() {
        CounterSpec spec = units(10);
        long start = clock.millis();
        // 4 calls at t=0, 6 at t=5 s: full. At t=16.5 s the first bucket has left the window: 4 more fit.
        for (int i = 0; i < 4; i++) {
            assertTrue(store.tryAcquire("k", spec, ONE).granted());
        }
        clock.set(start + 5_000);
        for (int i = 0; i < 6; i++) {
            assertTrue(store.tryAcquire("k", spec, ONE).granted());
        }
        clock.set(start + 16_500);
        assertFalse(store.tryAcquire("k", spec, ONE).granted(), "t=0 calls are within 16 s of t=16.5 s... whole bucket");
        clock.set(start + 17_000);
        for (int i = 0; i < 4; i++) {
            assertTrue(store.tryAcquire("k", spec, ONE).granted(), "freed by the first bucket, call " + i);
        }
        Acquisition refused = store.tryAcquire("k", spec, ONE);
        assertFalse(refused.granted());
        assertEquals(5_000, refused.retryAfterMillis(), "next frees when the t=5 s bucket leaves, at t=22 s");
    }

    @Test
    void anAmountLargerThanMaxNeverFits() {
        Acquisition a = store.tryAcquire("k", units(10), 11 * ONE);
        assertFalse(a.granted());
        assertEquals(0, a.retryAfterMillis());
        assertEquals(0, store.current("k", units(10)));
    }

    @Test
    void decimalAmountsAreCountedExactly() {
        CounterSpec budget = new CounterSpec(16_000, CounterUnits.of(new BigDecimal("100.50")), Algorithm.SLIDING);
        assertTrue(store.tryAcquire("spend", budget, CounterUnits.of(new BigDecimal("60.25"))).granted());
        assertTrue(store.tryAcquire("spend", budget, CounterUnits.of(new BigDecimal("40.25"))).granted());
        assertFalse(store.tryAcquire("spend", budget, CounterUnits.of(new BigDecimal("0.001"))).granted());
        assertEquals(new BigDecimal("100.5"), CounterUnits.toDecimal(store.current("spend", budget)));
    }

    @Test
    void aRefundFreesRoomInTheSameWindowButNeverBelowZero() {
        CounterSpec spec = units(2);
        Acquisition first = store.tryAcquire("k", spec, ONE);
        Acquisition second = store.tryAcquire("k", spec, ONE);
        assertFalse(store.tryAcquire("k", spec, ONE).granted());
        store.release("k", spec, ONE, second.ticket());
        assertEquals(ONE, store.current("k", spec));
        assertTrue(store.tryAcquire("k", spec, ONE).granted(), "the refunded call's room is usable");
        store.release("k", spec, 5 * ONE, first.ticket());
        assertEquals(0, store.current("k", spec), "a too-large refund stops at zero");
    }

    @Test
    void aRefundGoesBackIntoTheBucketItCameFromOnly() {
        CounterSpec spec = units(3);
        long start = clock.millis();
        Acquisition early = store.tryAcquire("k", spec, ONE);
        clock.set(start + 3_000);
        store.tryAcquire("k", spec, ONE);
        store.tryAcquire("k", spec, ONE);
        store.release("k", spec, ONE, early.ticket());
        assertEquals(2 * ONE, store.current("k", spec));
        // The early bucket would have freed at start + 17 s; the later ones are still counted then.
        clock.set(start + 17_000);
        assertEquals(2 * ONE, store.current("k", spec), "refund did not eat into the later bucket");
    }

    @Test
    void aRefundForAnExpiredWindowChangesNothing() {
        CounterSpec spec = units(3);
        Acquisition old = store.tryAcquire("k", spec, ONE);
        clock.advance(17_000);
        assertTrue(store.tryAcquire("k", spec, ONE).granted());
        store.release("k", spec, ONE, old.ticket());
        assertEquals(ONE, store.current("k", spec));
    }

    @Test
    void windowsThatDoNotDivideIntoSixteenStillHoldTheLimit() {
        CounterSpec spec = new CounterSpec(1_000, 3 * ONE, Algorithm.SLIDING); // buckets of 63 ms
        clock.set(0);
        for (int i = 0; i < 3; i++) {
            assertTrue(store.tryAcquire("k", spec, ONE).granted());
        }
        for (long t = 0; t < 1_000; t += 7) { // every instant up to one window later is still full
            clock.set(t);
            assertFalse(store.tryAcquire("k", spec, ONE).granted(), "at " + t);
        }
        Acquisition refused = store.tryAcquire("k", spec, ONE);
        clock.advance(refused.retryAfterMillis());
        assertTrue(store.tryAcquire("k", spec, ONE).granted());
    }

    @Test
    void keysAndSpecsAreSeparateCounters() {
        CounterSpec spec = units(1);
        assertTrue(store.tryAcquire("a", spec, ONE).granted());
        assertTrue(store.tryAcquire("b", spec, ONE).granted());
        assertFalse(store.tryAcquire("a", spec, ONE).granted());
        assertTrue(store.tryAcquire("a", new CounterSpec(32_000, ONE, Algorithm.SLIDING), ONE).granted(),
                "a changed window is a fresh counter");
    }

    @Test
    void specRejectsSubSecondWindowsAndEmptyMaxima() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CounterSpec(999, 1, Algorithm.SLIDING));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CounterSpec(1_000, 0, Algorithm.FIXED));
        assertEquals(TEN_PER_16S, new CounterSpec(16_000, 10, Algorithm.SLIDING));
    }

    @Test
    void badAmountsFailOrAreRefusedWithoutThrowing() {
        assertTrue(store.tryAcquire("k", units(1), 0).failure() != null);
        Acquisition huge = store.tryAcquire("k", units(1), CounterUnits.MAX_UNITS + 1);
        assertFalse(huge.granted());
        assertEquals(0, huge.retryAfterMillis());
    }

    @Test
    void aClosedStoreFailsClosed() {
        store.close();
        Acquisition a = store.tryAcquire("k", units(1), ONE);
        assertFalse(a.granted());
        assertTrue(a.failure().contains("closed"), a.failure());
    }
}
