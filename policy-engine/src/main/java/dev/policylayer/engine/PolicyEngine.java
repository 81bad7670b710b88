package dev.policylayer.engine;

import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.load.LoadedPolicy;

/**
 * The engine's front door: one loaded policy plus the counters its limits use. Immutable apart from the
 * counters; a reload builds a new engine over the same {@link CounterStore}.
 */
public final class PolicyEngine {

    private PolicyEngine() {
    }

    /** An engine that decides by {@code policy}, counting limits in {@code counters}. */
    public static PolicyEngine create(LoadedPolicy policy, CounterStore counters) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * An engine for a policy that could not be loaded under {@code policylayer.fail=closed}: every call is
     * denied with rule {@code (policy error)} and a message that says why.
     */
    public static PolicyEngine failClosed(String why) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Decides one call in the spec's order (hidden, explicit deny, default deny, require, deny_if, approval,
     * limits). Reserves quota only for an allowed call. Never throws: an internal error is a denial with
     * rule {@code (policy error)}.
     */
    public Decision decide(ToolCall call) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Whether {@code tool} is to be left out of tools/list. */
    public boolean isHidden(String tool) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The policy this engine decides by. */
    public LoadedPolicy policy() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
