package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CounterCapacityTest {
    private static final long ONE = CounterUnits.one();
    private static final CounterSpec SLIDING = new CounterSpec(10_000, 5 * ONE, Algorithm.SLIDING);
    private static final CounterSpec FIXED = new CounterSpec(10_000, 5 * ONE, Algorithm.FIXED);

    private final MutableClock clock = new MutableClock(5_000_000L);
    private final OffHeapCounterStore store = OffHeapCounterStore.inMemory(clock, 20);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aNewKeyBeyondTheCapFailsClosedWhileOldOnesKeepCounting() {
        for (int i = 0; i < 20; i++) {
            assertTrue(store.tryAcquire("session-" + i, i % 2 == 0 ? SLIDING : FIXED, ONE).granted());
        }
        Acquisition full = store.tryAcquire("session-20", SLIDING, ONE);
        assertFalse(full.granted());
        assertNotNull(full.failure());
        assertTrue(full.failure().startsWith("counter capacity reached: 20 keys"), full.failure());
        assertTrue(store.tryAcquire("session-3", FIXED, ONE).granted(), "existing counters still work");
        assertEquals(20, store.size());
    }

    @Test
    void expiredCountersAreReclaimedToMakeRoom() {
        for (int i = 0; i < 20; i++) {
            store.tryAcquire("old-" + i, i % 2 == 0 ? SLIDING : FIXED, ONE);
        }
        clock.advance(5_000);
        store.tryAcquire("old-0", SLIDING, ONE); // still inside its window after the jump below
        clock.advance(6_000);
        // every counter but old-0 has all its cells out of the window now
        Acquisition fresh = store.tryAcquire("new", SLIDING, ONE);
        assertTrue(fresh.granted(), String.valueOf(fresh.failure()));
        assertEquals(2, store.size(), "old-0 and new are left");
        assertEquals(ONE, store.current("old-0", SLIDING), "the live counter kept its count");
        assertEquals(0, store.current("old-5", FIXED));
        // and the reclaimed names start over, counting correctly
        for (int i = 0; i < 5; i++) {
            assertTrue(store.tryAcquire("old-7", FIXED, ONE).granted());
        }
        assertFalse(store.tryAcquire("old-7", FIXED, ONE).granted());
    }

    @Test
    void reclaimKeepsCountersThatStillCount() {
        for (int i = 0; i < 10; i++) {
            store.tryAcquire("k" + i, SLIDING, ONE);
        }
        clock.advance(9_000);
        assertEquals(0, store.reclaimExpired());
        assertEquals(10, store.size());
        clock.advance(2_000);
        assertEquals(10, store.reclaimExpired());
        assertEquals(0, store.size());
    }
}
