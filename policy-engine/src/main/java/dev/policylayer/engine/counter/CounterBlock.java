package dev.policylayer.engine.counter;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The words of one counter inside its table slot, and the pin protocol that makes a cached slot safe to use while
 * other threads or processes may reclaim it.
 *
 * <pre>
 *   word 0  owner: incarnation (40 bits, random, never 0) | pins (24 bits; all ones = DEAD)
 *   word 1  spec:  windowMillis (56 bits) | algorithm ordinal (8 bits)   - for reclaiming and listing
 *   word 2+ cells: {@link Cell}; SLIDING uses {@link #RING} of them, FIXED the first one
 * </pre>
 *
 * <p>Why pins: a reclaimed slot is reused for later counters, so a thread that found a slot before the reclaim
 * must never write through it afterwards. Every operation first CASes the owner word from (its incarnation | n) to
 * (its incarnation | n+1) and decrements it when done; reclaiming CASes (incarnation | 0) to (incarnation | DEAD).
 * So a slot is reclaimed only while nobody is inside an operation on it, and no operation can start on a dead or
 * reused slot: the CAS expects this incarnation, which the slot's next owner does not carry (random 40 bits).
 */
final class CounterBlock {
    /** Buckets per sliding window. */
    static final int BUCKETS = 16;
    /** Ring slots: a window of BUCKETS buckets touches at most BUCKETS + 1 of them. */
    static final int RING = BUCKETS + 1;
    static final int WORDS = 2 + RING;

    static final long PIN_MASK = (1L << 24) - 1;
    static final long DEAD = PIN_MASK;
    private static final int INCARNATION_SHIFT = 24;

    private CounterBlock() {
    }

    static long cells(long block) {
        return block + 2L * Long.BYTES;
    }

    static long newIncarnation() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 40);
    }

    /** Makes a fresh block live: cells zeroed, spec set, then the owner word (its publication). */
    static void initialise(Memory memory, long block, long incarnation, CounterSpec spec) {
        for (int i = 0; i < RING; i++) {
            memory.write(cells(block) + (long) i * Long.BYTES, 0);
        }
        memory.write(block + Long.BYTES, specWord(spec));
        memory.write(block, incarnation << INCARNATION_SHIFT);
    }

    static long incarnation(Memory memory, long block) {
        return memory.read(block) >>> INCARNATION_SHIFT;
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

    static long readSpecWord(Memory memory, long block) {
        return memory.read(block + Long.BYTES);
    }

    /** Enters an operation on the block; false when the block is dead or no longer this incarnation. */
    static boolean pin(Memory memory, long block, long incarnation) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            long owner = memory.read(block);
            long pins = owner & PIN_MASK;
            if ((owner >>> INCARNATION_SHIFT) != incarnation || pins >= DEAD - 1) {
                return false;
            }
            if (memory.cas(block, owner, owner + 1)) {
                return true;
            }
        }
        throw new CasNeverSucceeds();
    }

    /**
     * Compare-and-swap retries before a loop gives up. Each failure means another caller's swap succeeded, so under
     * real contention a loop ends within a handful; one that fails this often is on memory that takes no writes (a
     * file cut short under it: the faulting swap is skipped), and would otherwise spin forever.
     */
    static final int MAX_CAS_ATTEMPTS = 1 << 20;

    /** A swap that never succeeds: the memory under it is gone; the store treats it as a fault. */
    static final class CasNeverSucceeds extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CasNeverSucceeds() {
            super("a compare-and-swap on the counter memory never succeeds (" + MAX_CAS_ATTEMPTS + " attempts): the"
                    + " memory takes no writes");
        }
    }

    static void unpin(Memory memory, long block) {
        memory.add(block, -1);
    }

    /** Marks an idle block dead so that nobody can pin it again; false when it is in use or already dead. */
    static boolean kill(Memory memory, long block) {
        long owner = memory.read(block);
        if ((owner & PIN_MASK) != 0 || (owner >>> INCARNATION_SHIFT) == 0) {
            return false;
        }
        return memory.cas(block, owner, owner | DEAD);
    }

    static boolean isDead(long owner) {
        return (owner >>> INCARNATION_SHIFT) == 0 || (owner & PIN_MASK) == DEAD;
    }
}
