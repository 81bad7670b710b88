package dev.policylayer.engine.counter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters in a {@link CounterTable}: off-heap in this JVM ({@link #inMemory}) or in a memory-mapped file every JVM
 * on the host shares ({@link #sharedFile}).
 *
 * <p>Hot path (a counter this process has seen): one in-process cache lookup, then CAS operations on the counter's
 * cells; no lock, no allocation. Cold path (a counter not yet cached): the table's cold lock, held for the few
 * writes that find or create its slot, and at most {@link #LOCK_WAIT_NANOS} waited for; this is also where the key
 * cap is enforced and idle counters are reclaimed.
 *
 * <p>A shared file is checked about once a second, and whenever a cached counter cannot be used: deleted, replaced,
 * cut short or overwritten (its header no longer this table's, or a slot seen live now empty), it is never counted
 * in again, and every limited call is denied saying why. Nothing is thrown from {@link #reserve} or
 * {@link #release}.
 */
public final class OffHeapCounterStore implements CounterStore {
    private static final long RECLAIM_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long FILE_CHECK_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The longest a call waits for another process's cold path (a live one holds it for microseconds). */
    static final long LOCK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private record Slot(CounterSpec spec, long slot, long block, long incarnation, Grants grants) {
        Slot(CounterSpec spec, CounterTable.Found found) {
            this(spec, found.slot(), found.block(), found.incarnation(), new Grants());
        }
    }

    private final CounterTable table;
    private final Memory memory;
    private final Clock clock;
    private final Path file;
    private final Object fileKey;
    private final long fileSize;
    private final String where;
    private final ConcurrentHashMap<String, Slot> cache = new ConcurrentHashMap<>();
    private final LongAdder inFlight = new LongAdder();
    private final Object coldLock = new Object();
    private volatile boolean closed;
    private volatile String broken;
    private volatile long nextFileCheck;
    private volatile long lastReclaim = System.nanoTime();

    private OffHeapCounterStore(CounterTable table, Clock clock, Path file, Object fileKey, long fileSize) {
        this.table = table;
        this.memory = table.memory();
        this.clock = clock;
        this.file = file;
        this.fileKey = fileKey;
        this.fileSize = fileSize;
        this.where = file == null ? "in-memory counter store" : "counter file " + file;
        this.nextFileCheck = System.nanoTime() + FILE_CHECK_PERIOD_NANOS;
    }

    /** Counters for this JVM only, off-heap. */
    public static OffHeapCounterStore inMemory(Clock clock, int maxKeys) {
        Objects.requireNonNull(clock, "clock");
        checkMaxKeys(maxKeys);
        long bytes = CounterTable.bytesFor(CounterTable.slotsFor(maxKeys));
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxKeys " + maxKeys + " is more than one store holds");
        }
        CounterTable table = CounterTable.format(Memory.allocate((int) bytes), maxKeys, 1, pid -> { });
        return new OffHeapCounterStore(table, clock, null, null, 0);
    }

    /**
     * Counters in a memory-mapped file shared by every JVM on this host that opens the same file (the
     * {@code global} scope). Created if absent (parent directories too).
     *
     * @throws CounterStoreOpenException when the file cannot be created, read, written or trusted; the message names
     *                                   the file and what to do
     */
    public static OffHeapCounterStore sharedFile(Path file, Clock clock, int maxKeys) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        checkMaxKeys(maxKeys);
        Path path = file.toAbsolutePath().normalize();
        prepareFile(path);
        Warmup.once();
        CounterFile.Opened opened;
        try {
            opened = FileUsers.enter(path, (alone, record) -> CounterFile.open(path, maxKeys, alone, record,
                    pid -> recovered(path, pid)));
        } catch (CounterStoreOpenException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CounterStoreOpenException("cannot open counter file " + path + " (" + e + "). "
                    + CounterFile.resetAdvice(path), e);
        }
        return new OffHeapCounterStore(opened.table(), clock, path, opened.fileKey(), opened.size());
    }

    /** Told when the cold path's lock was taken over from a process that died holding it. */
    private static volatile java.util.function.BiConsumer<Path, Long> recoveries = (path, pid) -> { };

    /** Where the store reports that it took a dead process's lock over (the agent logs it). */
    public static void onLockRecovered(java.util.function.BiConsumer<Path, Long> listener) {
        recoveries = listener;
    }

    private static void recovered(Path path, long pid) {
        recoveries.accept(path, pid);
    }

    /** Acquires each entry in order; when one refuses, the ones already acquired are given back. */
    @Override
    public Admission reserve(CounterBatch batch) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            Acquisition acquisition = tryAcquire(batch.key(i), batch.spec(i), batch.amount(i));
            if (!acquisition.granted()) {
                for (int j = 0; j < i; j++) {
                    release(batch.key(j), batch.spec(j), batch.amount(j), batch.ticket(j));
                }
                return acquisition.failure() != null ? Admission.failed(i, acquisition.failure())
                        : Admission.refused(i, acquisition.retryAfterMillis());
            }
            batch.ticket(i, acquisition.ticket());
        }
        return Admission.GRANTED;
    }

    @Override
    public void release(CounterBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            release(batch.key(i), batch.spec(i), batch.amount(i), batch.ticket(i));
        }
    }

    @Override
    public Acquisition tryAcquire(String key, CounterSpec spec, long amount) {
        if (amount <= 0) {
            return Acquisition.failed("amount must be greater than 0, was " + amount);
        }
        if (amount > CounterUnits.MAX_UNITS) {
            return Acquisition.refused(0);
        }
        inFlight.increment();
        try {
            String unusable = unusable();
            if (unusable != null) {
                return Acquisition.failed(unusable);
            }
            for (int tries = 0; tries < 3; tries++) {
                Slot slot = slot(key, spec, true);
                table.touch(slot.slot);
                if (!CounterBlock.pin(memory, slot.block, slot.incarnation)) {
                    lost(key, slot); // reclaimed meanwhile (maybe by another process), or overwritten
                    continue;
                }
                try {
                    long cells = CounterBlock.cells(slot.block);
                    Acquisition acquisition = spec.algorithm() == Algorithm.SLIDING
                            ? SlidingWindow.acquire(memory, cells, spec, amount, clock, slot.grants)
                            : FixedWindow.acquire(memory, cells, spec, amount, clock, slot.grants);
                    String why = broken; // found broken meanwhile (by any thread): what was read may be gone
                    return why == null ? acquisition : Acquisition.failed(why);
                } finally {
                    CounterBlock.unpin(memory, slot.block);
                }
            }
            String why = broken;
            return Acquisition.failed(why != null ? why : "counter '" + key + "' in the " + where
                    + " was reclaimed repeatedly");
        } catch (CounterTable.Busy busy) {
            return Acquisition.failed(busy.getMessage());
        } catch (Throwable e) {
            // A fault on the mapping (a file cut short under us) surfaces as an InternalError: say what happened.
            String why = file != null ? checkFile() : null;
            if (why == null && file != null && (e instanceof InternalError
                    || e instanceof CounterBlock.CasNeverSucceeds)) {
                broke("faulted while in use (" + e.getMessage() + ")"); // whatever it read may not have been there
                why = broken;
            }
            return Acquisition.failed(why != null ? why : "the " + where + " cannot count: " + e);
        } finally {
            inFlight.decrement();
        }
    }

    @Override
    public void release(String key, CounterSpec spec, long amount, long ticket) {
        if (amount <= 0) {
            return;
        }
        inFlight.increment();
        try {
            if (unusable() != null) {
                return;
            }
            Slot slot = slot(key, spec, false);
            if (slot == null) {
                return; // no such counter any more: nothing left to give back to
            }
            table.touch(slot.slot);
            if (!CounterBlock.pin(memory, slot.block, slot.incarnation)) {
                return;
            }
            try {
                long cells = CounterBlock.cells(slot.block);
                if (spec.algorithm() == Algorithm.SLIDING) {
                    SlidingWindow.release(memory, cells, spec, amount, ticket, clock);
                } else {
                    FixedWindow.release(memory, cells, spec, amount, ticket, clock);
                }
            } finally {
                CounterBlock.unpin(memory, slot.block);
            }
        } catch (Throwable e) {
            // Never thrown at the caller: a refund that cannot be made leaves the counter higher (fail-safe).
        } finally {
            inFlight.decrement();
        }
    }

    @Override
    public long current(String key, CounterSpec spec) {
        inFlight.increment();
        try {
            String unusable = unusable();
            if (unusable != null) {
                throw new IllegalStateException(unusable);
            }
            Slot slot = slot(key, spec, false);
            if (slot == null) {
                return 0;
            }
            table.touch(slot.slot);
            if (!CounterBlock.pin(memory, slot.block, slot.incarnation)) {
                return 0;
            }
            try {
                long cells = CounterBlock.cells(slot.block);
                return spec.algorithm() == Algorithm.SLIDING ? SlidingWindow.current(memory, cells, spec, clock)
                        : FixedWindow.current(memory, cells, spec, clock);
            } finally {
                CounterBlock.unpin(memory, slot.block);
            }
        } finally {
            inFlight.decrement();
        }
    }

    /** Distinct counters held now (shared: by every process using the file). */
    public long size() {
        return table.live();
    }

    /**
     * Removes every counter whose windows have all expired and that no thread or process is using. Runs by itself
     * when a new counter needs room and about once a minute on the cold path.
     *
     * @return how many counters were removed
     */
    public int reclaimExpired() {
        synchronized (coldLock) {
            return reclaim();
        }
    }

    @Override
    public void close() {
        synchronized (coldLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Operations already inside hold offsets into the table's memory: let them finish first.
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (inFlight.sum() != 0 && System.nanoTime() < deadline) {
            Thread.yield();
        }
        cache.clear();
        if (file != null) {
            FileUsers.leave(file);
        }
    }

    @Override
    public String toString() {
        return closed ? where + " (closed)" : where + " (" + size() + " of " + table.maxKeys() + " counters)";
    }

    // ---------------------------------------------------------------- hot-path helpers

    private String unusable() {
        if (closed) {
            return "the " + where + " is closed";
        }
        String why = broken;
        if (why == null && file != null && System.nanoTime() - nextFileCheck >= 0) {
            why = checkFile();
        }
        return why;
    }

    /**
     * A pin failed: the counter was reclaimed (look it up again), or the memory under it is no longer this table
     * (overwritten in place: a slot that was live is never empty again), which breaks the store for good.
     */
    private void lost(String key, Slot slot) {
        cache.remove(key, slot);
        if (table.state(slot.slot) == CounterTable.EMPTY || !table.headerIntact()) {
            broke("was overwritten while in use (its counters are no longer there)");
        }
    }

    private void broke(String how) {
        if (broken == null) {
            broken = where + " " + how + "; it is not counted in again, and limited calls are denied until it is"
                    + " fixed. " + (file == null ? "" : CounterFile.resetAdvice(file));
        }
    }

    /** A file deleted, replaced, cut short or overwritten would split or lose counts between processes. */
    private String checkFile() {
        nextFileCheck = System.nanoTime() + FILE_CHECK_PERIOD_NANOS;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            if (key != null && !key.equals(fileKey)) {
                broke("was replaced while in use");
            } else if (attributes.size() < fileSize) {
                // Touching the mapping past the new end would fault: stop using it before anything does.
                broke("was cut short while in use");
            } else if (!table.headerIntact()) {
                broke("was overwritten while in use (its header is no longer a counter table's)");
            } else if (!table.endIntact()) {
                broke("was cut short while in use (and grown back: its counters are gone)");
            } else if (!Files.isWritable(file)) {
                broke("was made read-only (or immutable) while in use");
            }
        } catch (NoSuchFileException e) {
            broke("was deleted while in use");
        } catch (IOException e) {
            broke("cannot be read: " + e);
        }
        return broken;
    }

    private Slot slot(String key, CounterSpec spec, boolean create) {
        Slot slot = cache.get(key);
        if (slot != null && (slot.spec == spec || slot.spec.equals(spec))) {
            return slot;
        }
        synchronized (coldLock) {
            if (closed) {
                throw new IllegalStateException("the " + where + " is closed");
            }
            return lookUp(key, spec, create);
        }
    }

    // ---------------------------------------------------------------- cold path (holds coldLock)

    private Slot lookUp(String key, CounterSpec spec, boolean create) {
        if (file != null && checkFile() != null) { // a new counter is rare enough to look at the file every time
            throw new CounterTable.Busy(broken);
        }
        if (System.nanoTime() - lastReclaim > RECLAIM_PERIOD_NANOS) {
            reclaim();
        }
        String tableKey = tableKey(key, spec);
        CounterTable.Found found;
        try {
            found = table.find(tableKey, spec, create, LOCK_WAIT_NANOS);
        } catch (CounterTable.Busy full) {
            if (!create || !full.getMessage().startsWith("counter capacity")) {
                throw full;
            }
            reclaim();
            found = table.find(tableKey, spec, true, LOCK_WAIT_NANOS);
        }
        if (found == null) {
            return null;
        }
        Slot slot = new Slot(spec, found);
        cache.put(key, slot);
        if (cache.size() > table.maxKeys()) {
            sweepCache();
        }
        return slot;
    }

    /** The table key carries the window and algorithm: a changed limit starts a fresh counter. */
    static String tableKey(String key, CounterSpec spec) {
        return key + '\u0000' + spec.algorithm().name().charAt(0) + spec.windowMillis();
    }

    private int reclaim() {
        lastReclaim = System.nanoTime();
        int removed = table.reclaim(clock.millis(), LOCK_WAIT_NANOS);
        sweepCache();
        return removed;
    }

    /** Forgets cached slots of counters that were reclaimed (here or by another process). */
    private void sweepCache() {
        cache.values().removeIf(slot -> CounterBlock.incarnation(memory, slot.block) != slot.incarnation
                || CounterBlock.isDead(memory.read(slot.block)));
    }

    /** For the crash test: pins {@code key}'s counter and takes the cold-path lock, and never lets go of either. */
    void holdForCrashTest(String key, CounterSpec spec) {
        CounterTable.Found found = table.find(tableKey(key, spec), spec, true, LOCK_WAIT_NANOS);
        CounterBlock.pin(memory, found.block(), found.incarnation());
        table.lockForCrashTest();
    }

    // ---------------------------------------------------------------- opening

    private static void checkMaxKeys(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
    }

    private static void prepareFile(Path path) {
        try {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new CounterStoreOpenException("cannot create the directory for counter file " + path + ": " + e
                    + ". Create it, or point policylayer.counters at a writable place.", e);
        }
        if (Files.exists(path)) {
            if (!Files.isRegularFile(path)) {
                throw new CounterStoreOpenException("counter file " + path + " is not a regular file;"
                        + " point policylayer.counters at a file.", null);
            }
            if (!Files.isReadable(path) || !Files.isWritable(path)) {
                throw new CounterStoreOpenException("counter file " + path + " is not readable and writable by"
                        + " this process; fix its permissions (every process sharing it needs both) or use another"
                        + " file.", null);
            }
        }
    }
}
