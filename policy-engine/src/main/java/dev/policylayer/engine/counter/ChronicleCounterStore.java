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

import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * Counters in a Chronicle Map: off-heap in this JVM ({@link #inMemory}) or in a memory-mapped file that
 * every JVM on the host shares ({@link #sharedFile}).
 *
 * <p>Hot path (a key this process has seen): one in-process cache lookup, then CAS operations on the
 * counter's off-heap cells (see {@link SlidingWindow}, {@link FixedWindow}); no Chronicle lock, no
 * allocation. Cold path (a key not yet cached): Chronicle's own entry lock to find or insert the entry
 * and learn its address; this is also where the key cap is enforced and idle counters are reclaimed
 * (see {@link CounterBlock} for why a cached address stays safe across reclaims, also in other
 * processes).
 *
 * <p>Nothing is thrown from {@link #tryAcquire} or {@link #release}: a store that cannot count answers
 * {@link Acquisition#failed} and the engine denies.
 */
public final class ChronicleCounterStore implements CounterStore {
    /** Bytes the map reserves per key on average (UTF-8 of counter name, scope and window). */
    static final int AVERAGE_KEY_BYTES = 64;
    static final String HEADER_KEY = "\u0000policylayer-counters";
    private static final long MAGIC = 0x504C_434E_5452_3031L; // "PLCNTR01"
    private static final long LAYOUT = ((long) CounterBlock.RING << 32) | CounterBlock.VALUE_BYTES;
    private static final long RECLAIM_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long FILE_CHECK_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private record Slot(CounterSpec spec, long block, long incarnation, Grants grants) {
        Slot(CounterSpec spec, long block, long incarnation) {
            this(spec, block, incarnation, new Grants());
        }
    }

    private final ChronicleMap<CharSequence, byte[]> map;
    private final Clock clock;
    private final int maxKeys;
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
    private long lastReclaim = System.nanoTime();

    private ChronicleCounterStore(ChronicleMap<CharSequence, byte[]> map, Clock clock, int maxKeys, Path file,
                                  Object fileKey, long fileSize) {
        this.map = map;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.file = file;
        this.fileKey = fileKey;
        this.fileSize = fileSize;
        this.where = file == null ? "in-memory counter store" : "counter file " + file;
        this.nextFileCheck = System.nanoTime() + FILE_CHECK_PERIOD_NANOS;
    }

    /** Counters for this JVM only, off-heap. */
    public static ChronicleCounterStore inMemory(Clock clock, int maxKeys) {
        Objects.requireNonNull(clock, "clock");
        checkMaxKeys(maxKeys);
        ChronicleSetup.prepare();
        ChronicleMap<CharSequence, byte[]> map = builder(maxKeys).create();
        try {
            checkHeader(map, "the in-memory counter store");
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
        return new ChronicleCounterStore(map, clock, maxKeys, null, null, 0);
    }

    /**
     * Counters in a memory-mapped file shared by every JVM on this host that opens the same file (the
     * {@code global} scope). Created if absent (parent directories too).
     *
     * @throws CounterStoreOpenException when the file cannot be created, read, written or understood;
     *                                   the message names the file and what to do
     */
    public static ChronicleCounterStore sharedFile(Path file, Clock clock, int maxKeys) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        checkMaxKeys(maxKeys);
        Path path = file.toAbsolutePath().normalize();
        prepareFile(path);
        ChronicleSetup.prepare();
        ChronicleMap<CharSequence, byte[]> map;
        try {
            map = FileUsers.enter(path, alone -> openFile(path, maxKeys, alone));
        } catch (CounterStoreOpenException e) {
            throw e;
        } catch (Throwable e) {
            throw new CounterStoreOpenException("cannot open counter file " + path + " (" + e
                    + "). If it is damaged or from another program, stop every process using it and delete it;"
                    + " it is created again on the next start.", e);
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new ChronicleCounterStore(map, clock, maxKeys, path, attributes.fileKey(), attributes.size());
        } catch (IOException | RuntimeException e) {
            map.close();
            FileUsers.leave(path);
            throw new CounterStoreOpenException("cannot read counter file " + path + ": " + e, e);
        }
    }

    /**
     * Opens (or creates) the file. When no other process uses it, it is first recovered: locks held by a
     * process that died inside Chronicle are released, and pins it left on counters are cleared.
     */
    private static ChronicleMap<CharSequence, byte[]> openFile(Path path, int maxKeys, boolean alone)
            throws IOException {
        long sizeBefore = Files.exists(path) ? Files.size(path) : 0;
        boolean exists = sizeBefore > 0;
        if (exists) {
            CounterFileHeader.check(path);
        }
        ChronicleMap<CharSequence, byte[]> map = exists && alone
                ? builder(maxKeys).recoverPersistedTo(path.toFile(), false)
                : builder(maxKeys).createPersistedTo(path.toFile());
        try {
            if (exists && Files.size(path) > sizeBefore) {
                // Chronicle lays a file out at full size when it creates it; one that had to grow just to open
                // was cut short, and what it counted is gone. Refuse it rather than restart limits from zero.
                throw new CounterStoreOpenException("counter file " + path + " was cut short (" + sizeBefore
                        + " bytes); its counts are lost. Stop every process using it and delete it (it is"
                        + " created again on the next start).", null);
            }
            checkHeader(map, "counter file " + path);
            if (exists && alone) {
                clearPins(map);
            }
            return map;
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** Only while alone with the file: any pin left is a dead process's. */
    private static void clearPins(ChronicleMap<CharSequence, byte[]> map) {
        map.forEachEntry(entry -> {
            if (HEADER_KEY.contentEquals(entry.key().get())) {
                return;
            }
            long block = block(entry);
            long owner = OffHeap.read(block);
            long pins = owner & CounterBlock.PIN_MASK;
            if (pins != 0 && pins != CounterBlock.DEAD) {
                OffHeap.write(block, owner - pins);
            }
        });
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
                if (!CounterBlock.pin(slot.block, slot.incarnation)) {
                    cache.remove(key, slot); // reclaimed meanwhile (maybe by another process): look it up again
                    continue;
                }
                try {
                    long cells = CounterBlock.cells(slot.block);
                    return spec.algorithm() == Algorithm.SLIDING
                            ? SlidingWindow.acquire(cells, spec, amount, clock, slot.grants)
                            : FixedWindow.acquire(cells, spec, amount, clock, slot.grants);
                } finally {
                    CounterBlock.unpin(slot.block);
                }
            }
            return Acquisition.failed("counter '" + key + "' in the " + where + " was reclaimed repeatedly");
        } catch (CannotCount e) {
            return Acquisition.failed(e.getMessage());
        } catch (Throwable e) {
            return Acquisition.failed("the " + where + " cannot count: " + e);
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
            if (slot == null || !CounterBlock.pin(slot.block, slot.incarnation)) {
                return; // no such counter any more: nothing left to give back to
            }
            try {
                long cells = CounterBlock.cells(slot.block);
                if (spec.algorithm() == Algorithm.SLIDING) {
                    SlidingWindow.release(cells, spec, amount, ticket, clock);
                } else {
                    FixedWindow.release(cells, spec, amount, ticket, clock);
                }
            } finally {
                CounterBlock.unpin(slot.block);
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
            if (slot == null || !CounterBlock.pin(slot.block, slot.incarnation)) {
                return 0;
            }
            try {
                long cells = CounterBlock.cells(slot.block);
                return spec.algorithm() == Algorithm.SLIDING
                        ? SlidingWindow.current(cells, spec, clock)
                        : FixedWindow.current(cells, spec, clock);
            } finally {
                CounterBlock.unpin(slot.block);
            }
        } finally {
            inFlight.decrement();
        }
    }

    /** Distinct counters held now (shared: by every process using the file). */
    public long size() {
        return map.longSize() - 1;
    }

    /**
     * Removes every counter whose windows have all expired and that no thread or process is using.
     * Runs by itself when a new counter needs room and about once a minute on the cold path.
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
        // Operations already inside hold addresses into the map's memory: let them finish first.
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (inFlight.sum() != 0 && System.nanoTime() < deadline) {
            Thread.yield();
        }
        cache.clear();
        map.close();
        if (file != null) {
            FileUsers.leave(file);
        }
    }

    @Override
    public String toString() {
        return closed ? where + " (closed)" : where + " (" + size() + " of " + maxKeys + " counters)";
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

    /** A deleted or replaced file would silently split the counters between processes: fail closed. */
    private String checkFile() {
        nextFileCheck = System.nanoTime() + FILE_CHECK_PERIOD_NANOS;
        String why;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            if (key != null && !key.equals(fileKey)) {
                why = "counter file " + file + " was replaced while in use";
            } else if (attributes.size() < fileSize) {
                // Touching the mapping past the new end would fault: stop using it before anything does.
                why = "counter file " + file + " was cut short while in use";
            } else {
                return null;
            }
        } catch (NoSuchFileException e) {
            why = "counter file " + file + " was deleted while in use";
        } catch (IOException e) {
            why = "counter file " + file + " cannot be read: " + e;
        }
        broken = why + "; counts are no longer shared with other processes - restart the application";
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
        if (file != null) {
            String why = checkFile(); // a new key is rare enough to look at the file every time
            if (why != null) {
                throw new CannotCount(why);
            }
        }
        if (System.nanoTime() - lastReclaim > RECLAIM_PERIOD_NANOS) {
            reclaim();
        }
        String mapKey = mapKey(key, spec);
        Slot slot = find(mapKey, spec, false);
        if (slot == null) {
            if (!create) {
                return null;
            }
            if (size() >= maxKeys) {
                reclaim();
                if (size() >= maxKeys) {
                    throw new CannotCount("counter capacity reached: " + maxKeys + " keys in the " + where
                            + " and none has expired; raise the capacity or shorten windows");
                }
            }
            try {
                slot = find(mapKey, spec, true);
            } catch (IllegalStateException e) {
                // Chronicle's segment for this key is full (keys much longer than the average reserved).
                throw new CannotCount("counter capacity reached: no room for '" + key + "' in the " + where
                        + " (" + e.getMessage() + ")");
            }
        }
        cache.put(key, slot);
        if (cache.size() > maxKeys) {
            sweepCache();
        }
        return slot;
    }

    /** The map key carries the window and algorithm: a changed limit starts a fresh counter. */
    static String mapKey(String key, CounterSpec spec) {
        return key + '\u0000' + spec.algorithm().name().charAt(0) + spec.windowMillis();
    }

    private Slot find(String mapKey, CounterSpec spec, boolean create) {
        try (ExternalMapQueryContext<CharSequence, byte[], ?> context = map.queryContext(mapKey)) {
            context.updateLock().lock();
            MapEntry<CharSequence, byte[]> entry = context.entry();
            if (entry != null) {
                long block = block(entry);
                long incarnation = CounterBlock.incarnation(block);
                if (incarnation != 0 && (OffHeap.read(block) & CounterBlock.PIN_MASK) != CounterBlock.DEAD) {
                    return new Slot(spec, block, incarnation);
                }
                if (!create) {
                    return null;
                }
                // Killed by a process that stopped before removing it: finish the job.
                context.writeLock().lock();
                entry.doRemove();
            }
            if (!create) {
                return null;
            }
            context.writeLock().lock();
            context.absentEntry().doInsert(context.wrapValueAsData(new byte[CounterBlock.VALUE_BYTES]));
            long block = block(context.entry());
            long incarnation = CounterBlock.newIncarnation();
            CounterBlock.initialise(block, incarnation, spec);
            return new Slot(spec, block, incarnation);
        }
    }

    static long block(MapEntry<CharSequence, byte[]> entry) {
        Data<byte[]> value = entry.value();
        if (value.size() != CounterBlock.VALUE_BYTES) {
            throw new IllegalStateException("counter entry of " + value.size() + " bytes, expected "
                    + CounterBlock.VALUE_BYTES);
        }
        return CounterBlock.align(value.bytes().addressForRead(value.offset()));
    }

    private int reclaim() {
        lastReclaim = System.nanoTime();
        long now = clock.millis();
        int[] removed = {0};
        map.forEachEntry(entry -> {
            if (HEADER_KEY.contentEquals(entry.key().get())) {
                return; // the header
            }
            long block = block(entry);
            long owner = OffHeap.read(block);
            boolean dead = (owner >>> 24) == 0 || (owner & CounterBlock.PIN_MASK) == CounterBlock.DEAD;
            if (!dead) {
                long specWord = CounterBlock.readSpecWord(block);
                Algorithm algorithm = CounterBlock.algorithm(specWord);
                long window = CounterBlock.windowMillis(specWord);
                if (algorithm == null || window <= 0) {
                    return;
                }
                long cells = CounterBlock.cells(block);
                boolean idle = algorithm == Algorithm.SLIDING
                        ? SlidingWindow.idle(cells, window, now)
                        : FixedWindow.idle(cells, window, now);
                if (!idle || !CounterBlock.kill(block)) {
                    return;
                }
            }
            entry.doRemove();
            removed[0]++;
        });
        sweepCache();
        return removed[0];
    }

    /** Forgets cached addresses of counters that were reclaimed (here or by another process). */
    private void sweepCache() {
        cache.values().removeIf(slot -> CounterBlock.incarnation(slot.block) != slot.incarnation
                || (OffHeap.read(slot.block) & CounterBlock.PIN_MASK) == CounterBlock.DEAD);
    }

    // ---------------------------------------------------------------- opening

    static ChronicleMapBuilder<CharSequence, byte[]> builder(int maxKeys) {
        // Room for the header and a margin: Chronicle sizes by averages, the cap is enforced by count.
        long entries = maxKeys + maxKeys / 4L + 16;
        return ChronicleMapBuilder.of(CharSequence.class, byte[].class)
                .name("policylayer-counters")
                .entries(entries)
                .averageKeySize(AVERAGE_KEY_BYTES)
                .constantValueSizeBySample(new byte[CounterBlock.VALUE_BYTES])
                // Values change through CAS behind Chronicle's back: entry checksums would go stale and make
                // recovery treat live counters as corrupt.
                .checksumEntries(false);
    }

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

    /** Whether an existing map was laid out by this version (never writes). */
    static boolean hasOurHeader(ChronicleMap<CharSequence, byte[]> map) {
        try (ExternalMapQueryContext<CharSequence, byte[], ?> context = map.queryContext(HEADER_KEY)) {
            context.readLock().lock();
            MapEntry<CharSequence, byte[]> entry = context.entry();
            if (entry == null || entry.value().size() != CounterBlock.VALUE_BYTES) {
                return false;
            }
            long block = block(entry);
            return OffHeap.read(block) == MAGIC && OffHeap.read(block + Long.BYTES) == LAYOUT;
        }
    }

    /** Stamps a new map, or checks that an existing file was laid out by this version. */
    private static void checkHeader(ChronicleMap<CharSequence, byte[]> map, String what) {
        try (ExternalMapQueryContext<CharSequence, byte[], ?> context = map.queryContext(HEADER_KEY)) {
            context.updateLock().lock();
            MapEntry<CharSequence, byte[]> entry = context.entry();
            if (entry == null) {
                context.writeLock().lock();
                context.absentEntry().doInsert(context.wrapValueAsData(new byte[CounterBlock.VALUE_BYTES]));
                long block = block(context.entry());
                OffHeap.write(block + Long.BYTES, LAYOUT);
                OffHeap.write(block, MAGIC);
                return;
            }
            long block;
            try {
                block = block(entry);
            } catch (IllegalStateException e) {
                block = 0;
            }
            if (block == 0 || OffHeap.read(block) != MAGIC || OffHeap.read(block + Long.BYTES) != LAYOUT) {
                throw new CounterStoreOpenException(what + " was written by a different version or program;"
                        + " stop every process using it and delete it (it is created again on the next start).",
                        null);
            }
        }
    }

    /** The store cannot take this counter (full, or its file is gone): a failure, not an error. */
    private static final class CannotCount extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotCount(String message) {
            super(message, null, false, false);
        }
    }
}
