package dev.policylayer.engine.reload;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine in force now. For a policy file with {@code policylayer.reload=true} it follows the file (see
 * {@link LiveFile}: a reload only ever replaces the policy with a valid one, a rejected edit is reported once,
 * a call that notices an edit waits for it). Engines built here share the agent's counter store, so a reload never
 * resets a limit.
 */
public final class LivePolicy implements Followed {

    /** What the agent hears about reloads. Called on the thread that noticed the edit, under no lock of ours. */
    public interface Listener extends LiveFile.Listener<PolicyEngine> {
        /** A new policy is in force; {@code previous} may be a fail-closed engine or null (fail open). */
        @Override
        void applied(PolicyEngine previous, PolicyEngine next);
    }

    static final long STAT_INTERVAL_NANOS = LiveFile.STAT_INTERVAL_NANOS;
    static final long SETTLE_NANOS = LiveFile.SETTLE_NANOS;

    private final LiveFile<PolicyEngine> live;

    private LivePolicy(LiveFile<PolicyEngine> live) {
        this.live = live;
    }

    /** An engine that never changes: inline or property policies, or {@code policylayer.reload=false}. */
    public static LivePolicy fixed(PolicyEngine engine) {
        return new LivePolicy(LiveFile.fixed(engine));
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
        return new LivePolicy(LiveFile.following(file, PolicyLoader.readLimits(settings, new ArrayList<>()),
                initialLoad, engine -> engine != null && engine.policy() != null,
                () -> factory.apply(PolicyLoader.load(settings)), listener, statInterval, nanoTime));
    }

    /** The policy file this follows, or null when it never changes. */
    @Override
    public Path file() {
        return live.file();
    }

    /** The engine to decide this call with; null when no policy is in force and the agent fails open. */
    public PolicyEngine current() {
        return live.current();
    }

    /** Something happened to the file (a watcher saw it): the next {@link #current()} looks at it. */
    public void fileChanged() {
        live.fileChanged();
    }

    /**
     * Reads the file and applies it if its content differs from what is in force, whatever the stamp says; and
     * reports an invalid content that has stood long enough. The agent calls this about once a second.
     */
    @Override
    public void checkContent() {
        live.checkContent();
    }
}
