package dev.policylayer.engine.counter;

import net.openhft.chronicle.core.UnsafeMemory;

/**
 * Atomic operations on raw off-heap (or memory-mapped) addresses. Every address handed in is 8-byte
 * aligned, which makes each operation a single atomic instruction, also between processes that map the
 * same file (lock cmpxchg / lock xadd on x86, LSE or LL/SC pairs on ARM).
 */
final class OffHeap {
    private static final UnsafeMemory MEMORY = UnsafeMemory.MEMORY;

    private OffHeap() {
    }

    static long read(long address) {
        return MEMORY.readVolatileLong(address);
    }

    static boolean cas(long address, long expected, long value) {
        return MEMORY.compareAndSwapLong(address, expected, value);
    }

    /** Adds and returns the new value. */
    static long add(long address, long delta) {
        return MEMORY.addLong(address, delta);
    }

    static void write(long address, long value) {
        MEMORY.writeOrderedLong(address, value);
        UnsafeMemory.unsafeStoreFence();
    }
}
