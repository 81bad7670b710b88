package dev.policylayer.engine.counter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Consumer;

/**
 * Counters laid out in one block of memory (off-heap in this JVM, or a file every JVM on the host maps): a header,
 * then a fixed number of slots in an open-addressing hash table keyed by the SHA-256 of the counter's key.
 *
 * <pre>
 *   header (4096 bytes): magic | layout | slot count | identity (random) | cold lock | live count | max keys
 *   slot (256 bytes):    state | key hash (2 words) | {@link CounterBlock} (owner, spec, 17 cells) | key length |
 *                        the key's first 56 bytes (UTF-8, for listing) | scratch
 *   end (8 bytes):       {@link #END_MARK}
 * </pre>
 *
 * <p>The end mark is the file's last word, and none of its bytes is zero: a file cut short loses it, and keeps it
 * lost when it grows back (with zeros: another process's {@code FileChannel.map} grows a file shorter than it
 * maps, so a cut landing between an opener's size check and its map comes back full size, header intact, counters
 * gone). A table without it is not trusted.
 *
 * <p>Slots are 256 bytes and the header one page, so no slot straddles two pages: every write to a slot is
 * preceded by a guarded store to its scratch word ({@link Memory#touch}), so that a page the kernel refuses to
 * write faults there, as an error the store handles, and never inside a compare-and-swap.
 *
 * <pre>
 * </pre>
 *
 * <p>Counting touches only a slot's counter block, lock-free ({@link SlidingWindow}, {@link FixedWindow}). Finding,
 * creating and reclaiming slots (the cold path, once per counter per process) happens under the {@link ColdLock},
 * which a killed process cannot wedge. A slot's state only ever moves EMPTY → WRITING → LIVE → TOMBSTONE →
 * WRITING …: a slot a process has seen LIVE is never EMPTY again, which is how a table that was overwritten (zeroed)
 * under a running process is told from one that is merely busy.
 */
final class CounterTable {
    static final int HEADER_BYTES = 4096;
    static final int SLOT_WORDS = 32;
    static final int SLOT_BYTES = SLOT_WORDS * Long.BYTES;
    static final long MAGIC = 0x504C_434E_5452_3032L; // "PLCNTR02"
    static final long LAYOUT = ((long) SLOT_BYTES << 32) | ((long) CounterBlock.RING << 16) | 2;
    static final long END_MARK = 0x504C_434E_5445_4E44L; // "PLCNTEND": no byte is zero

    private static final long MAGIC_AT = 0;
    private static final long LAYOUT_AT = 8;
    private static final long SLOTS_AT = 16;
    private static final long IDENTITY_AT = 24;
    private static final long LOCK_AT = 32;
    private static final long LIVE_AT = 40;
    private static final long MAX_KEYS_AT = 48;
    private static final long HEADER_SCRATCH_AT = HEADER_BYTES - Long.BYTES;

    static final long EMPTY = 0;
    static final long WRITING = 1;
    static final long LIVE = 2;
    static final long TOMBSTONE = 3;

    private static final long STATE = 0;
    private static final long HASH_HIGH = 8;
    private static final long HASH_LOW = 16;
    private static final long BLOCK = 24;
    private static final long TEXT_LENGTH = BLOCK + (long) CounterBlock.WORDS * Long.BYTES;
    private static final long TEXT = TEXT_LENGTH + Long.BYTES;
    private static final long SCRATCH = SLOT_BYTES - Long.BYTES;
    static final int TEXT_BYTES = (int) (SCRATCH - TEXT);

    private final Memory memory;
    private final int slots;
    private final long endAt;
    private final int maxKeys;
    private final long identity;
    private final ColdLock lock;

    private CounterTable(Memory memory, int slots, int maxKeys, long identity, ColdLock.Recovered recovered) {
        this.memory = memory;
        this.slots = slots;
        this.endAt = bytesFor(slots) - Long.BYTES;
        this.maxKeys = maxKeys;
        this.identity = identity;
        this.lock = new ColdLock(memory, LOCK_AT, HEADER_SCRATCH_AT, recovered);
    }

    /** Slots for {@code maxKeys} counters: a quarter spare keeps probe chains short. */
    static int slotsFor(int maxKeys) {
        return maxKeys + maxKeys / 4 + 16;
    }

    static long bytesFor(int slots) {
        return HEADER_BYTES + (long) slots * SLOT_BYTES + Long.BYTES; // + the end mark
    }

    /** Lays out a new table in zeroed memory; the magic is written last, so a half-made table is never taken. */
    static CounterTable format(Memory memory, int maxKeys, long identity, ColdLock.Recovered recovered) {
        int slots = slotsFor(maxKeys);
        memory.write(LAYOUT_AT, LAYOUT);
        memory.write(SLOTS_AT, slots);
        memory.write(IDENTITY_AT, identity);
        memory.write(MAX_KEYS_AT, maxKeys);
        memory.write(bytesFor(slots) - Long.BYTES, END_MARK);
        memory.write(MAGIC_AT, MAGIC);
        return new CounterTable(memory, slots, maxKeys, identity, recovered);
    }

    /** The table already laid out in {@code memory} (another process's, or this one's from before). */
    static CounterTable attach(Memory memory, ColdLock.Recovered recovered, String where) {
        if (memory.bytes() < HEADER_BYTES || memory.read(MAGIC_AT) != MAGIC || memory.read(LAYOUT_AT) != LAYOUT) {
            throw new CounterStoreOpenException(where + " is not a counter file of this version", null);
        }
        long slots = memory.read(SLOTS_AT);
        if (slots <= 0 || bytesFor((int) Math.min(slots, Integer.MAX_VALUE)) != memory.bytes()) {
            throw new CounterStoreOpenException(where + " has a header that does not fit its size", null);
        }
        return new CounterTable(memory, (int) slots, (int) Math.min(memory.read(MAX_KEYS_AT), slots), memory.read(
                IDENTITY_AT), recovered);
    }

    /** Reads a header from plain bytes (the start of a file): the identity, or 0 when it is not a table's. */
    static long identityOf(java.nio.ByteBuffer header) {
        java.nio.ByteBuffer words = header.duplicate().order(java.nio.ByteOrder.nativeOrder());
        if (words.remaining() < HEADER_BYTES || words.getLong(0) != MAGIC || words.getLong(8) != LAYOUT) {
            return 0;
        }
        return words.getLong((int) IDENTITY_AT);
    }

    /** Bytes a file with this header must have; -1 when the header is not a table's. */
    static long expectedBytes(java.nio.ByteBuffer header) {
        java.nio.ByteBuffer words = header.duplicate().order(java.nio.ByteOrder.nativeOrder());
        long slots = words.getLong((int) SLOTS_AT);
        return slots <= 0 || slots > Integer.MAX_VALUE ? -1 : bytesFor((int) slots);
    }

    Memory memory() {
        return memory;
    }

    int maxKeys() {
        return maxKeys;
    }

    long identity() {
        return identity;
    }

    /** Whether the header still is this table's: a file overwritten under us (zeroed, garbage) is not. */
    boolean headerIntact() {
        return memory.read(MAGIC_AT) == MAGIC && memory.read(LAYOUT_AT) == LAYOUT
                && memory.read(IDENTITY_AT) == identity && memory.read(SLOTS_AT) == slots;
    }

    /** Whether the table's last word is still there: a file cut short (even if grown back since) lost it. */
    boolean endIntact() {
        return memory.read(endAt) == END_MARK;
    }

    long live() {
        return memory.read(LIVE_AT);
    }

    private long slot(int index) {
        return HEADER_BYTES + (long) index * SLOT_BYTES;
    }

    static long block(long slot) {
        return slot + BLOCK;
    }

    /** Before any compare-and-swap on a slot: see {@link Memory#touch}. */
    void touch(long slot) {
        memory.touch(slot + SCRATCH);
    }

    long state(long slot) {
        return memory.read(slot + STATE);
    }

    /** What the cold path found or made: a live counter's block and incarnation. */
    record Found(long slot, long block, long incarnation) {
    }

    /** The cold path could not get its lock in time, or the table is full. */
    static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The live counter for {@code key}, created when absent and {@code create}; null when absent and not created.
     *
     * @throws Busy when a live process kept the lock past {@code lockWaitNanos}, or no slot is free
     */
    synchronized Found find(String key, CounterSpec spec, boolean create, long lockWaitNanos) {
        long holder = lock.acquire(lockWaitNanos);
        if (holder != 0) {
            throw new Busy("the counters' lock is held by process " + ProcessIdentity.pid(holder) + " (creating or"
                    + " reclaiming counters) longer than " + lockWaitNanos / 1_000_000 + " ms");
        }
        try {
            return findLocked(key, spec, create);
        } finally {
            lock.release();
        }
    }

    private Found findLocked(String key, CounterSpec spec, boolean create) {
        long[] hash = hash(key);
        int start = (int) Math.floorMod(hash[0], (long) slots);
        int free = -1;
        for (int probe = 0; probe < slots; probe++) {
            int index = (start + probe) % slots;
            long slot = slot(index);
            long state = state(slot);
            if (state == EMPTY) {
                if (free < 0) {
                    free = index;
                }
                break;
            }
            if (state == LIVE && memory.read(slot + HASH_HIGH) == hash[0] && memory.read(slot + HASH_LOW) == hash[1]) {
                long block = block(slot);
                long owner = memory.read(block);
                if (!CounterBlock.isDead(owner)) {
                    return new Found(slot, block, CounterBlock.incarnation(memory, block));
                }
                touch(slot);
                memory.write(slot + STATE, TOMBSTONE); // killed by a reclaim that stopped before marking it
                memory.add(LIVE_AT, -1);
                state = TOMBSTONE;
            }
            // A slot left WRITING by a process that died holding the lock is as good as free: nobody counts in it.
            if ((state == TOMBSTONE || state == WRITING) && free < 0) {
                free = index;
            }
        }
        if (!create) {
            return null;
        }
        if (free < 0 || live() >= maxKeys) {
            throw new Busy("counter capacity reached: " + maxKeys + " keys and none has expired; raise"
                    + " policylayer.counters.keys or shorten windows");
        }
        long slot = slot(free);
        touch(slot);
        memory.write(slot + STATE, WRITING);
        memory.write(slot + HASH_HIGH, hash[0]);
        memory.write(slot + HASH_LOW, hash[1]);
        byte[] text = key.getBytes(StandardCharsets.UTF_8);
        memory.write(slot + TEXT_LENGTH, text.length);
        memory.putBytes(slot + TEXT, text, Math.min(text.length, TEXT_BYTES));
        long incarnation = CounterBlock.newIncarnation();
        CounterBlock.initialise(memory, block(slot), incarnation, spec);
        memory.write(slot + STATE, LIVE);
        memory.add(LIVE_AT, 1);
        return new Found(slot, block(slot), incarnation);
    }

    /** For the crash test: takes the lock and keeps it. */
    void lockForCrashTest() {
        lock.acquire(0);
    }

    /** Removes every counter whose windows have all expired and that nobody is inside; returns how many. */
    synchronized int reclaim(long nowMillis, long lockWaitNanos) {
        if (lock.acquire(lockWaitNanos) != 0) {
            return 0; // busy: another process is at it
        }
        try {
            int removed = 0;
            for (int index = 0; index < slots; index++) {
                long slot = slot(index);
                if (state(slot) != LIVE) {
                    continue;
                }
                long block = block(slot);
                touch(slot);
                long owner = memory.read(block);
                if (!CounterBlock.isDead(owner)) {
                    long specWord = CounterBlock.readSpecWord(memory, block);
                    Algorithm algorithm = CounterBlock.algorithm(specWord);
                    long window = CounterBlock.windowMillis(specWord);
                    if (algorithm == null || window <= 0) {
                        continue;
                    }
                    long cells = CounterBlock.cells(block);
                    boolean idle = algorithm == Algorithm.SLIDING ? SlidingWindow.idle(memory, cells, window, nowMillis)
                            : FixedWindow.idle(memory, cells, window, nowMillis);
                    if (!idle || !CounterBlock.kill(memory, block)) {
                        continue;
                    }
                }
                memory.write(slot + STATE, TOMBSTONE);
                memory.add(LIVE_AT, -1);
                removed++;
            }
            return removed;
        } finally {
            lock.release();
        }
    }

    /** Only while no other process uses the table: pins left by dead processes are cleared. */
    void clearPins() {
        for (int index = 0; index < slots; index++) {
            long slot = slot(index);
            if (state(slot) == LIVE) {
                long block = block(slot);
                long owner = memory.read(block);
                long pins = owner & CounterBlock.PIN_MASK;
                if (pins != 0 && pins != CounterBlock.DEAD) {
                    touch(slot);
                    memory.write(block, owner - pins);
                }
            }
        }
    }

    /** One live counter, for listing: its key (cut short if it was long) and block. Read without the lock. */
    record LiveSlot(String key, boolean cutShort, long block) {
    }

    void forEachLive(Consumer<LiveSlot> each) {
        for (int index = 0; index < slots; index++) {
            long slot = slot(index);
            if (state(slot) != LIVE) {
                continue;
            }
            long length = memory.read(slot + TEXT_LENGTH);
            int stored = (int) Math.max(0, Math.min(length, TEXT_BYTES));
            String key = new String(memory.getBytes(slot + TEXT, stored), StandardCharsets.UTF_8);
            each.accept(new LiveSlot(key, length > TEXT_BYTES, block(slot)));
        }
    }

    /**
     * 128 bits of the SHA-256 of the key's UTF-16 code units (every Java string has them, lone surrogates too): two
     * different keys collide with odds of 2^-64 or less, and a collision merges two counters, which only ever makes
     * a limit stricter.
     */
    private static long[] hash(String key) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_16LE));
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (sha[i] & 0xFF);
                low = (low << 8) | (sha[i + 8] & 0xFF);
            }
            return new long[] {high, low};
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
