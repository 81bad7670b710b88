package dev.policylayer.engine.reload;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.load.PolicyProblem;
import dev.policylayer.engine.load.ReadLimits;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine in force now. For a policy file with {@code policylayer.reload=true} it follows the file:
 * {@link #current()} compares the file's stamp with the last one examined (at most once per
 * {@link #STAT_INTERVAL_NANOS}, or at once after {@link #fileChanged()}) and, when it changed, validates the new
 * text and swaps the engine atomically.
 *
 * <p>A reload can only replace the policy with a valid one: whatever goes wrong while reading or loading the edit
 * (a file swapped for a FIFO, {@code /dev/zero} or a directory, one too large, one half written, a parse error,
 * even running out of memory) keeps the engine in force. A rejected edit is reported once per distinct content,
 * and only once it has stood for {@link #SETTLE_NANOS}: an editor's in-place save passes through an empty or
 * half-written file, and that moment is not worth an error.
 *
 * <p>What a call sees is one immutable {@code Examined} value published after the engine it names is ready: a call
 * that notices an edit while another thread is loading it waits for that load (under the reload lock) instead of
 * deciding by the old policy as though nothing had changed. Engines built here share the agent's counter store,
 * so a reload never resets a limit.
 */
public final class LivePolicy {

    /** What the agent hears about reloads. Called on the thread that noticed the edit, under no lock of ours. */
    public interface Listener {
        /** A new policy is in force; {@code previous} may be a fail-closed engine or null (fail open). */
        void applied(PolicyEngine previous, PolicyEngine next);

        /** An edit did not validate (and has stood long enough to be meant); the engine in force is unchanged. */
        void rejected(PolicyLoadException problems);
    }

    /**
     * A {@code stat} costs about 2 µs and allocates; once a millisecond bounds that on a busy server. The
     * agent's file watcher calls {@link #fileChanged()} as an edit lands, so the next call never waits for it.
     */
    static final long STAT_INTERVAL_NANOS = 1_000_000;
    /** How long an invalid content must stay in the file before it is reported. */
    static final long SETTLE_NANOS = 500_000_000L;

    /** The engine in force and the file stamp last examined, published together. */
    private record Examined(PolicyEngine engine, FileStamp stamp) {
    }

    private final Path file;
    private final long statInterval;
    private final Settings settings;
    private final ReadLimits limits;
    private final Function<LoadedPolicy, PolicyEngine> factory;
    private final Listener listener;
    private final LongSupplier nanoTime;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Examined examined;
    private volatile boolean changed;
    private volatile long nextStat;
    // Guarded by reloading:
    private String appliedDigest;
    private String reportedDigest;
    private String pendingDigest;
    private long pendingSince;

    private LivePolicy(Path file, Settings settings, Function<LoadedPolicy, PolicyEngine> factory, Listener listener,
                       long statInterval, LongSupplier nanoTime) {
        this.file = file;
        this.statInterval = statInterval;
        this.settings = settings;
        this.factory = factory;
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.limits = settings == null ? ReadLimits.DEFAULT : PolicyLoader.readLimits(settings, new ArrayList<>());
    }

    /** An engine that never changes: inline or property policies, or {@code policylayer.reload=false}. */
    public static LivePolicy fixed(PolicyEngine engine) {
        LivePolicy fixed = new LivePolicy(null, null, null, null, 0, System::nanoTime);
        fixed.examined = new Examined(engine, FileStamp.ABSENT);
        return fixed;
    }

    /**
     * Follows the policy file the settings name. The stamp and content are taken before {@code initialLoad}
     * runs, so an edit made during start-up is seen by the first call rather than lost.
     *
     * @param initialLoad the start-up engine: the file's policy, a fail-closed engine, or null for fail open
     * @param factory     builds the engine for a reloaded policy (with the agent's counters)
     */
    public static LivePolicy following(Path file, Settings settings, Supplier<PolicyEngine> initialLoad,
                                       Function<LoadedPolicy, PolicyEngine> factory, Listener listener) {
        return following(file, settings, initialLoad, factory, listener, STAT_INTERVAL_NANOS, System::nanoTime);
    }

    static LivePolicy following(Path file, Settings settings, Supplier<PolicyEngine> initialLoad,
                                Function<LoadedPolicy, PolicyEngine> factory, Listener listener, long statInterval,
                                LongSupplier nanoTime) {
        LivePolicy live = new LivePolicy(Objects.requireNonNull(file), settings, factory, listener, statInterval,
                nanoTime);
        FileStamp stamp = FileStamp.of(file);
        String digest = PolicyContent.digest(file, live.limits);
        PolicyEngine engine = initialLoad.get();
        if (engine != null && engine.policy() != null) {
            live.appliedDigest = digest;
        } else {
            live.reportedDigest = digest; // the start-up load already reported it
        }
        live.examined = new Examined(engine, stamp);
        return live;
    }

    /** The policy file this follows, or null when it never changes. */
    public Path file() {
        return file;
    }

    /** The engine to decide this call with; null when no policy is in force and the agent fails open. */
    public PolicyEngine current() {
        Examined now = examined;
        if (file != null && (changed || nanoTime.getAsLong() - nextStat >= 0)) {
            changed = false;
            nextStat = nanoTime.getAsLong() + statInterval;
            if (!FileStamp.of(file).sameAs(now.stamp)) {
                reload(false);
                now = examined;
            }
        }
        return now.engine;
    }

    /** Something happened to the file (a watcher saw it): the next {@link #current()} looks at it. */
    public void fileChanged() {
        changed = true;
    }

    /**
     * Reads the file and applies it if its content differs from what is in force, whatever the stamp says; and
     * reports an invalid content that has stood long enough. The agent calls this about once a second.
     */
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
        Examined before = examined;
        if (!evenIfStampUnchanged && now.sameAs(before.stamp)) {
            return () -> { }; // another thread examined this edit while we waited for the lock
        }
        String digest = PolicyContent.digest(file, limits);
        if (digest.equals(appliedDigest) || digest.equals(reportedDigest)) {
            examined = new Examined(before.engine, now); // touched, or the same text again
            return () -> { };
        }
        if (digest.equals(pendingDigest)) {
            // Known to be invalid: report it once it has stood long enough to be meant.
            examined = new Examined(before.engine, now);
            if (nanoTime.getAsLong() - pendingSince < SETTLE_NANOS) {
                return () -> { };
            }
            Loaded again = load();
            if (again.engine != null) {
                return apply(before.engine, again.engine, digest, now); // it loads now (a file it depended on)
            }
            reportedDigest = digest;
            pendingDigest = null;
            return () -> listener.rejected(again.problems);
        }
        Loaded loaded = load();
        if (loaded.engine != null) {
            return apply(before.engine, loaded.engine, digest, now);
        }
        pendingDigest = digest;
        pendingSince = nanoTime.getAsLong();
        examined = new Examined(before.engine, now);
        return () -> { };
    }

    private Runnable apply(PolicyEngine previous, PolicyEngine next, String digest, FileStamp stamp) {
        appliedDigest = digest;
        reportedDigest = null;
        pendingDigest = null;
        examined = new Examined(next, stamp);
        return () -> listener.applied(previous, next);
    }

    private record Loaded(PolicyEngine engine, PolicyLoadException problems) {
    }

    /** The file's policy as an engine, or every problem; never throws, whatever the file holds. */
    private Loaded load() {
        try {
            return new Loaded(factory.apply(PolicyLoader.load(settings)), null);
        } catch (PolicyLoadException invalid) {
            return new Loaded(null, invalid);
        } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError unexpected) {
            return new Loaded(null, new PolicyLoadException(new PolicyProblem(file.toString(), null, null,
                    "could not be loaded (" + unexpected + ")", null)));
        }
    }
}
