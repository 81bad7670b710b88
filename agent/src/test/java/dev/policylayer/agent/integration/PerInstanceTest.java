package dev.policylayer.agent.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Looking up a library object's value takes no lock: a new object being added holds up nobody else's call. */
class PerInstanceTest {

    @Test
    void aLookupOfAKnownObjectDoesNotWaitForAnAddInProgress() throws Exception {
        CountDownLatch adding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object known = new Object();
        Object slow = new Object();
        PerInstance<String> values = new PerInstance<>(instance -> {
            if (instance == slow) {
                adding.countDown();
                try {
                    release.await(); // the add of a new object stalls while it holds the lock
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "value of " + System.identityHashCode(instance);
        });
        String first = values.of(known);
        CompletableFuture<String> stalled = CompletableFuture.supplyAsync(() -> values.of(slow));
        assertTrue(adding.await(60, TimeUnit.SECONDS));
        try {
            // With a lock on every lookup, this would wait for the stalled add (until the test's deadline).
            String again = CompletableFuture.supplyAsync(() -> values.of(known)).get(60, TimeUnit.SECONDS);
            assertSame(first, again);
        } finally {
            release.countDown();
        }
        assertEquals("value of " + System.identityHashCode(slow), stalled.get(60, TimeUnit.SECONDS));
        assertEquals(2, values.values().size());
    }
}
