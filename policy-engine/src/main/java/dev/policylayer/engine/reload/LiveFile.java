package dev.policylayer.engine.reload;

import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyProblem;
import dev.policylayer.engine.load.ReadLimits;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a file says now: a policy's engine, a grants file's grants. {@link #current()} compares the file's stamp
 * with the last one examined (at most once per {@code statInterval}, or at once after {@link #fileChanged()}) and,
 * when it changed, validates the new text and swaps the value atomically.
 *
 * <p>A reload can only replace the value with a valid one: whatever goes wrong while reading or loading the edit
 * (a file swapped for a FIFO, {@code /dev/zero} or a directory, one too large, one half written, a parse error,
 * even running out of memory) keeps the value in force. A rejected edit is reported once per distinct content,
 * and only once it has stood for {@link #SETTLE_NANOS}: an editor's in-place save passes through an empty or
 * half-written file, and that moment is not worth an error.
 *
 * <p>What a caller sees is one immutable {@code Examined} value published after the value it names is ready: a
 * call that notices an edit while another thread is loading it waits for that load (under the reload lock) instead
 * of deciding by the old value as though nothing had changed.
 *
 * @param <T> what the file is loaded into
 */
public final class LiveFile<T> implements Followed {

    /** Reads and validates the file; every problem is in the exception. */
    @FunctionalInterface
    public interface Loader<T> {
        T load() throws PolicyLoadException;
    }

    /** What the owner hears about reloads. Called on the thread that noticed the edit, under no lock of ours. */
    public interface Listener<T> {
        /** A new value is in force. */
        void applied(T previous, T next);

        /** An edit did not validate (and has stood long enough to be meant); the value in force is unchanged. */
        void rejected(PolicyLoadException problems);
    }

    /**
     * A {@code stat} costs about 2 µs and allocates; once a millisecond bounds that on a busy server. The
     * agent's file watcher calls {@link #fileChanged()} as an edit lands, so the next call never waits for it.
     */
    public static final long STAT_INTERVAL_NANOS = 1_000_000;
    /** How long an invalid content must stay in the file before it is reported. */
    public static final long SETTLE_NANOS = 500_000_000L;

    /** The value in force and the file stamp last examined, published together. */
    private record Examined<T>(T value, FileStamp stamp) {
    }

    private final Path file;
    private final long statInterval;
    private final ReadLimits limits;
    private final Loader<T> loader;
    private final Listener<T> listener;
    private final LongSupplier nanoTime;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Examined<T> examined;
    private volatile boolean changed;
    private volatile long nextStat;
    // Guarded by reloading:
    private String appliedDigest;
    private String reportedDigest;
    private String pendingDigest;
    private long pendingSince;

    private LiveFile(Path file, ReadLimits limits, Loader<T> loader, Listener<T> listener, long statInterval,
                     LongSupplier nanoTime) {
        this.file = file;
        this.limits = limits;
        this.loader = loader;
        this.listener = listener;
        this.statInterval = statInterval;
        this.nanoTime = nanoTime;
    }

    /** A value that never changes. */
    public static <T> LiveFile<T> fixed(T value) {
        LiveFile<T> fixed = new LiveFile<>(null, ReadLimits.DEFAULT, null, null, 0, System::nanoTime);
        fixed.examined = new Examined<>(value, FileStamp.ABSENT);
        return fixed;
    }

    /**
     * Follows {@code file}. The stamp and content are taken before {@code initialLoad} runs, so an edit made
     * during start-up is seen by the first call rather than lost.
     *
     * @param initialLoad the start-up value (which has reported its own problems, if any)
     * @param loaded      whether a start-up value is the file's content (rather than a stand-in for a file that
     *                    could not be loaded, which a later valid edit replaces)
     * @param loader      loads the file's current content, for a reload
     */
    public static <T> LiveFile<T> following(Path file, ReadLimits limits, Supplier<T> initialLoad,
                                            Predicate<T> loaded, Loader<T> loader, Listener<T> listener) {
        return following(file, limits, initialLoad, loaded, loader, listener, STAT_INTERVAL_NANOS, System::nanoTime);
    }

    static <T> LiveFile<T> following(Path file, ReadLimits limits, Supplier<T> initialLoad, Predicate<T> loaded,
                                     Loader<T> loader, Listener<T> listener, long statInterval,
                                     LongSupplier nanoTime) {
        LiveFile<T> live = new LiveFile<>(Objects.requireNonNull(file), limits, loader, listener, statInterval,
                nanoTime);
        FileStamp stamp = FileStamp.of(file);
        String digest = PolicyContent.digest(file, limits);
        T value = initialLoad.get();
        if (loaded.test(value)) {
            live.appliedDigest = digest;
        } else {
            live.reportedDigest = digest; // the start-up load already reported it
        }
        live.examined = new Examined<>(value, stamp);
        return live;
    }

    /** The file this follows, or null when the value never changes. */
    @Override
    public Path file() {
        return file;
    }

    /** The value in force now, having looked at the file if it is due. */
    public T current() {
        Examined<T> now = examined;
        if (file != null && (changed || nanoTime.getAsLong() - nextStat >= 0)) {
            changed = false;
            nextStat = nanoTime.getAsLong() + statInterval;
            if (!FileStamp.of(file).sameAs(now.stamp)) {
                reload(false);
                now = examined;
            }
        }
        return now.value;
    }

    /** Something happened to the file (a watcher saw it): the next {@link #current()} looks at it. */
    public void fileChanged() {
        changed = true;
    }

    /**
     * Reads the file and applies it if its content differs from what is in force, whatever the stamp says; and
     * reports an invalid content that has stood long enough. The agent calls this about once a second.
     */
    @Override
    public void checkContent() {
        if (file != null) {
            reload(true);
        }
    }

    private void reload(boolean evenIfStampUnchanged) {
        Runnable tell;
        reloading.lock();
        try {
            tell = examine(evenIfStampUnchanged);
        } finally {
            reloading.unlock();
        }
        tell.run(); // the listener is told under no lock of ours
    }

    /** Looks at the file under the reload lock; returns what to tell the listener once the lock is released. */
    private Runnable examine(boolean evenIfStampUnchanged) {
        FileStamp now = FileStamp.of(file);
        Examined<T> before = examined;
        if (!evenIfStampUnchanged && now.sameAs(before.stamp)) {
            return () -> { }; // another thread examined this edit while we waited for the lock
        }
        String digest = PolicyContent.digest(file, limits);
        if (digest.equals(appliedDigest) || digest.equals(reportedDigest)) {
            examined = new Examined<>(before.value, now); // touched, or the same text again
            return () -> { };
        }
        if (digest.equals(pendingDigest)) {
            // Known to be invalid: report it once it has stood long enough to be meant.
            examined = new Examined<>(before.value, now);
            if (nanoTime.getAsLong() - pendingSince < SETTLE_NANOS) {
                return () -> { };
            }
            Loaded<T> again = load();
            if (again.problems == null) {
                return apply(before.value, again.value, digest, now); // it loads now (a file it depended on)
            }
            reportedDigest = digest;
            pendingDigest = null;
            return () -> listener.rejected(again.problems);
        }
        Loaded<T> loaded = load();
        if (loaded.problems == null) {
            return apply(before.value, loaded.value, digest, now);
        }
        pendingDigest = digest;
        pendingSince = nanoTime.getAsLong();
        examined = new Examined<>(before.value, now);
        return () -> { };
    }

    private Runnable apply(T previous, T next, String digest, FileStamp stamp) {
        appliedDigest = digest;
        reportedDigest = null;
        pendingDigest = null;
        examined = new Examined<>(next, stamp);
        return () -> listener.applied(previous, next);
    }

    private record Loaded<T>(T value, PolicyLoadException problems) {
    }

    /** The file's content loaded, or every problem; never throws, whatever the file holds. */
    private Loaded<T> load() {
        try {
            return new Loaded<>(loader.load(), null);
        } catch (PolicyLoadException invalid) {
            return new Loaded<>(null, invalid);
        } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError unexpected) {
            return new Loaded<>(null, new PolicyLoadException(new PolicyProblem(file.toString(), null, null,
                    "could not be loaded (" + unexpected + ")", null)));
        }
    }
}
