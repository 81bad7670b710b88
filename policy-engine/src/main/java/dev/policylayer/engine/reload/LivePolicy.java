package dev.policylayer.engine.reload;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.load.PolicyProblem;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine in force now. For a policy file with {@code policylayer.reload=true} it follows the file:
 * {@link #current()} compares the file's stamp with the one last applied (at most once per
 * {@link #STAT_INTERVAL_NANOS}, or at once after {@link #fileChanged()}) and, when it changed, validates the new
 * text and swaps the engine atomically. An edit that does not validate keeps the last good engine and is
 * reported once per distinct content. Engines built here share the agent's counter store, so a reload never
 * resets a limit.
 */
public final class LivePolicy {

    /** What the agent hears about reloads. Called on the thread that noticed the edit, under no lock of ours. */
    public interface Listener {
        /** A new policy is in force; {@code previous} may be a fail-closed engine or null (fail open). */
        void applied(PolicyEngine previous, PolicyEngine next);

        /** An edit did not validate; the engine in force is unchanged. */
        void rejected(PolicyLoadException problems);
    }

    /**
     * A {@code stat} costs about 2 µs and allocates; once a millisecond bounds that on a busy server. The
     * agent's file watcher calls {@link #fileChanged()} as an edit lands, so the next call never waits for it.
     */
    static final long STAT_INTERVAL_NANOS = 1_000_000;

    private final Path file;
    private final long statInterval;
    private final Settings settings;
    private final Function<LoadedPolicy, PolicyEngine> factory;
    private final Listener listener;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile PolicyEngine engine;
    private volatile FileStamp stamp;
    private volatile boolean changed;
    private volatile long nextStat;
    private String appliedDigest;
    private String rejectedDigest;

    private LivePolicy(Path file, Settings settings, Function<LoadedPolicy, PolicyEngine> factory, Listener listener,
                       long statInterval) {
        this.file = file;
        this.statInterval = statInterval;
        this.settings = settings;
        this.factory = factory;
        this.listener = listener;
    }

    /** An engine that never changes: inline or property policies, or {@code policylayer.reload=false}. */
    public static LivePolicy fixed(PolicyEngine engine) {
        LivePolicy fixed = new LivePolicy(null, null, null, null, 0);
        fixed.engine = engine;
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
        return following(file, settings, initialLoad, factory, listener, STAT_INTERVAL_NANOS);
    }

    static LivePolicy following(Path file, Settings settings, Supplier<PolicyEngine> initialLoad,
                                Function<LoadedPolicy, PolicyEngine> factory, Listener listener, long statInterval) {
        LivePolicy live = new LivePolicy(Objects.requireNonNull(file), settings, factory, listener, statInterval);
        live.stamp = FileStamp.of(file);
        String digest = PolicyContent.digest(file);
        live.engine = initialLoad.get();
        if (live.engine != null && live.engine.policy() != null) {
            live.appliedDigest = digest;
        } else {
            live.rejectedDigest = digest; // the start-up load already reported it
        }
        return live;
    }

    /** The policy file this follows, or null when it never changes. */
    public Path file() {
        return file;
    }

    /** The engine to decide this call with; null when no policy is in force and the agent fails open. */
    public PolicyEngine current() {
        if (file != null && (changed || System.nanoTime() - nextStat >= 0)) {
            changed = false;
            nextStat = System.nanoTime() + statInterval;
            if (!FileStamp.of(file).sameAs(stamp)) {
                reload(false);
            }
        }
        return engine;
    }

    /** Something happened to the file (a watcher saw it): the next {@link #current()} looks at it. */
    public void fileChanged() {
        changed = true;
    }

    /**
     * Reads the file and applies it if its content differs from what is in force, whatever the stamp says.
     * The agent calls this periodically, which also catches edits that leave the stamp unchanged.
     */
    public void checkContent() {
        if (file != null) {
            reload(true);
        }
    }

    private void reload(boolean evenIfStampUnchanged) {
        PolicyEngine previous;
        PolicyEngine next;
        PolicyLoadException problems = null;
        reloading.lock();
        try {
            FileStamp now = FileStamp.of(file);
            if (!evenIfStampUnchanged && now.sameAs(stamp)) {
                return; // another thread applied this edit while we waited
            }
            String digest = PolicyContent.digest(file);
            stamp = now;
            if (digest.equals(appliedDigest) || digest.equals(rejectedDigest)) {
                return; // touched, or rewritten with the same text: nothing new to apply or report
            }
            previous = engine;
            try {
                next = factory.apply(PolicyLoader.load(settings));
                appliedDigest = digest;
                rejectedDigest = null;
                engine = next;
            } catch (PolicyLoadException invalid) {
                rejectedDigest = digest;
                next = null;
                problems = invalid;
            } catch (RuntimeException unexpected) {
                rejectedDigest = digest;
                next = null;
                problems = new PolicyLoadException(new PolicyProblem(file.toString(), null, null,
                        "could not be loaded (" + unexpected + ")", null));
            }
        } finally {
            reloading.unlock();
        }
        if (problems != null) {
            listener.rejected(problems);
        } else {
            listener.applied(previous, next);
        }
    }
}
