package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class DeferredCounterStoreTest {
    private static final CounterSpec SPEC = new CounterSpec(60_000, 2, Algorithm.FIXED);

    @Test
    void callsWaitForTheStoreThenCountInIt() {
        CompletableFuture<CounterStore> opening = new CompletableFuture<>();
        DeferredCounterStore deferred = new DeferredCounterStore(opening, Duration.ofSeconds(10));
        MutableClock clock = new MutableClock(0);
        Thread opener = new Thread(() -> opening.complete(OffHeapCounterStore.inMemory(clock, 10)));
        opener.start();
        assertTrue(deferred.tryAcquire("k", SPEC, 1).granted());
        assertTrue(deferred.tryAcquire("k", SPEC, 1).granted());
        assertFalse(deferred.tryAcquire("k", SPEC, 1).granted());
        assertEquals(2, deferred.current("k", SPEC));
        assertTrue(deferred.isReady());
        deferred.close();
        assertTrue(deferred.tryAcquire("k", SPEC, 1).failure().contains("closed"));
    }

    @Test
    void aStoreThatIsNotReadyInTimeFailsClosedAndALaterCallCanSucceed() {
        CompletableFuture<CounterStore> opening = new CompletableFuture<>();
        DeferredCounterStore deferred = new DeferredCounterStore(opening, Duration.ofMillis(1));
        Acquisition early = deferred.tryAcquire("k", SPEC, 1);
        assertFalse(early.granted());
        assertTrue(early.failure().contains("not open yet"), early.failure());

        OffHeapCounterStore store = OffHeapCounterStore.inMemory(new MutableClock(0), 10);
        opening.complete(store);
        for (long deadline = System.nanoTime() + 60_000_000_000L; !deferred.isReady(); ) {
            assertTrue(System.nanoTime() < deadline, "the store never came into use");
            Thread.onSpinWait();
        }
        assertTrue(deferred.tryAcquire("k", SPEC, 1).granted());
        deferred.close();
    }

    @Test
    void aStoreThatFailedToOpenFailsEveryCallWithTheReason() {
        CompletableFuture<CounterStore> opening = CompletableFuture.failedFuture(
                new CounterStoreOpenException("counter file /x/y is not readable and writable", null));
        DeferredCounterStore deferred = new DeferredCounterStore(opening, Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            Acquisition a = deferred.tryAcquire("k", SPEC, 1);
            assertFalse(a.granted());
            assertEquals("the counter store cannot open: counter file /x/y is not readable and writable"
                    + " (still trying)", a.failure());
        }
        deferred.release("k", SPEC, 1, 0); // no exception
        assertThrows(IllegalStateException.class, () -> deferred.current("k", SPEC));
        assertFalse(deferred.isReady());
    }
}
