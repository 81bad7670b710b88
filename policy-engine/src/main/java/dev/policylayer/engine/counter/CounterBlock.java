package dev.policylayer.engine.counter;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The layout of one counter's value in the map, and the pin protocol that makes a cached address safe
 * to use while other threads or processes may reclaim the entry.
 *
 * <p>The map stores each counter as a fixed-size byte array. Chronicle does not align values, so the
 * array is 8 bytes longer than needed and the block starts at the first 8-byte boundary inside it. The
 * value's offset inside a memory-mapped file is the same in every process and mappings start on page
 * boundaries, so every process finds the same aligned block.
 *
 * <pre>
 *   word 0  owner: incarnation (40 bits, random, never 0) | pins (24 bits; all ones = DEAD)
 *   word 1  spec:  windowMillis (56 bits) | algorithm ordinal (8 bits)   - for reclaiming
 *   word 2+ cells: {@link Cell}; SLIDING uses {@link #RING} of them, FIXED the first one
 * </pre>
 *
 * <p>Why pins: a reclaimed entry's memory is reused by Chronicle for later entries, so a thread that
 * looked an address up before the reclaim must never write through it afterwards. Every operation
 * first CASes the owner word from (its incarnation | n) to (its incarnation | n+1) and decrements it when
 * done; reclaiming CASes (incarnation | 0) to (incarnation | DEAD). So an entry is reclaimed only while
 * nobody is inside an operation on it, and no operation can start on a dead or reused entry: the CAS
 * expects this incarnation, which the new owner of the memory does not carry. The one theoretical hole:
 * a thread that read the owner word of entry A, then stalled while A was reclaimed and its bytes reused
 * by a new entry whose bytes at that spot happen to equal A's owner word exactly (random 40-bit
 * incarnation: odds about 1 in 10^12 per such stall), would pin the wrong memory.
 */
final class CounterBlock {
    /** Buckets per sliding window. */
    static final int BUCKETS = 16;
    /** Ring slots: a window of BUCKETS buckets touches at most BUCKETS + 1 of them. */
    static final int RING = BUCKETS + 1;
    static final int WORDS = 2 + RING;
    /** Bytes stored per counter in the map, including the slack for alignment. */
    static final int VALUE_BYTES = WORDS * Long.BYTES + Long.BYTES - 1;

    static final long PIN_MASK = (1L << 24) - 1;
    static final long DEAD = PIN_MASK;
    private static final int INCARNATION_SHIFT = 24;

    private CounterBlock() {
    }

    /** The aligned block start for a value whose bytes begin at {@code valueAddress}. */
    static long align(long valueAddress) {
        return (valueAddress + Long.BYTES - 1) & -Long.BYTES;
    }

    static long cells(long block) {
        return block + 2L * Long.BYTES;
    }

    static long newIncarnation() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 40);
    }

    /** Makes a freshly inserted (all-zero) block live. Called under the map's entry lock. */
    static void initialise(long block, long incarnation, CounterSpec spec) {
        OffHeap.write(block + Long.BYTES, specWord(spec));
        OffHeap.write(block, incarnation << INCARNATION_SHIFT);
    }

    static long incarnation(long block) {
        return OffHeap.read(block) >>> INCARNATION_SHIFT;
    }

    static long specWord(CounterSpec spec) {
        return (spec.windowMillis() << 8) | spec.algorithm().ordinal();
    }

    static long windowMillis(long specWord) {
        return specWord >>> 8;
    }

    static Algorithm algorithm(long specWord) {
        int ordinal = (int) (specWord & 0xFF);
        Algorithm[] all = Algorithm.values();
        return ordinal < all.length ? all[ordinal] : null;
    }

    static long readSpecWord(long block) {
        return OffHeap.read(block + Long.BYTES);
    }

    /** Enters an operation on the block; false when the block is dead or no longer this incarnation. */
    static boolean pin(long block, long incarnation) {
        for (;;) {
            long owner = OffHeap.read(block);
            long pins = owner & PIN_MASK;
            if ((owner >>> INCARNATION_SHIFT) != incarnation || pins >= DEAD - 1) {
                return false;
            }
            if (OffHeap.cas(block, owner, owner + 1)) {
                return true;
            }
        }
    }

    static void unpin(long block) {
        OffHeap.add(block, -1);
    }

    /** Marks an idle block dead so that nobody can pin it again; false when it is in use or already dead. */
    static boolean kill(long block) {
        long owner = OffHeap.read(block);
        if ((owner & PIN_MASK) != 0 || (owner >>> INCARNATION_SHIFT) == 0) {
            return false;
        }
        return OffHeap.cas(block, owner, owner | DEAD);
    }
}
