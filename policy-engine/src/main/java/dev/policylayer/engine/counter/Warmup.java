package dev.policylayer.engine.counter;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the counting code on a scratch table in this JVM's memory until the JIT has compiled it, before the first
 * shared file is mapped. A page of a shared file that is cut short or made immutable under a running process faults
 * when written: compiled code turns that fault into an {@code InternalError} the store handles (and then fails
 * closed), but the interpreter's compare-and-swap has no such guard and the fault would end the JVM. Warmed up, the
 * store's writes run compiled; the window that is left is a deoptimisation at the wrong moment.
 */
final class Warmup {
    private static final int HOT = 30_000;
    private static final int COLD = 4_000;
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private Warmup() {
    }

    static void once() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        CounterSpec sliding = new CounterSpec(1000, Long.MAX_VALUE >>> 24, Algorithm.SLIDING);
        CounterSpec fixed = new CounterSpec(1000, Long.MAX_VALUE >>> 24, Algorithm.FIXED);
        OffHeapCounterStore scratch = OffHeapCounterStore.inMemory(Clock.systemUTC(), COLD + 16);
        try {
            for (int i = 0; i < COLD; i++) {
                scratch.tryAcquire("warm-up:" + i, i % 2 == 0 ? sliding : fixed, 1);
            }
            for (int i = 0; i < HOT; i++) {
                CounterSpec spec = i % 2 == 0 ? sliding : fixed;
                Acquisition taken = scratch.tryAcquire("warm-up:" + (i % 64), spec, 1);
                if (taken.granted()) {
                    scratch.release("warm-up:" + (i % 64), spec, 1, taken.ticket());
                }
                scratch.current("warm-up:" + (i % 64), spec);
            }
            scratch.reclaimExpired();
        } finally {
            scratch.close();
        }
    }
}
