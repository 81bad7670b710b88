package dev.policylayer.engine;

import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Evaluator;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.RuleKind;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.text.Quoted;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's front door: one loaded policy plus the counters its limits use. Immutable apart from the
 * counters; a reload builds a new engine over the same {@link CounterStore}, so limits survive it.
 */
public final class PolicyEngine {
    private final LoadedPolicy policy;
    private final Evaluator evaluator;
    private final String failure;

    private PolicyEngine(LoadedPolicy policy, Evaluator evaluator, String failure) {
        this.policy = policy;
        this.evaluator = evaluator;
        this.failure = failure;
    }

    /**
     * An engine that decides by {@code policy}, counting limits in {@code counters}.
     *
     * @param grant the identity {@code grant}-scoped counters belong to when a call names none
     *              ({@code policylayer.grant})
     */
    public static PolicyEngine create(LoadedPolicy policy, CounterStore counters, String grant) {
        return create(policy, counters, grant, false);
    }

    /**
     * As {@link #create(LoadedPolicy, CounterStore, String)}; with {@code uncountedAllows} (the agent's
     * {@code policylayer.fail=open}) a limit the store cannot count lets the call through, saying so in the
     * decision ({@link Decision#uncounted()}), instead of denying it.
     */
    public static PolicyEngine create(LoadedPolicy policy, CounterStore counters, String grant,
                                      boolean uncountedAllows) {
        return create(policy, counters, null, grant, uncountedAllows);
    }

    /** As above, keeping the approvals of {@code require_approval} calls in {@code approvals}. */
    public static PolicyEngine create(LoadedPolicy policy, CounterStore counters, ApprovalStore approvals,
                                      String grant, boolean uncountedAllows) {
        return new PolicyEngine(policy, new Evaluator(policy.policy(), counters, approvals, grant, uncountedAllows),
                null);
    }

    /**
     * An engine for a policy that could not be loaded under {@code policylayer.fail=closed}: every call is
     * denied with rule {@code (policy error)} and a message that says why.
     */
    public static PolicyEngine failClosed(String why) {
        return new PolicyEngine(null, null, why);
    }

    /**
     * Decides one call in the spec's order (hidden, explicit deny, default deny, require, deny_if, approval,
     * limits). Reserves quota only for an allowed call. Never throws: an internal error is a denial with
     * rule {@code (policy error)}.
     */
    public Decision decide(ToolCall call) {
        if (evaluator == null) {
            return policyError(call.tool(), "the policy could not be loaded: " + failure);
        }
        try {
            return evaluator.decide(call);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError unexpected) {
            return policyError(call.tool(), "the policy could not be evaluated (" + unexpected.getClass()
                    .getSimpleName() + ")");
        }
    }

    /**
     * {@link #decide} without waiting on a remote counter store: the stage completes once the store answers.
     * Never completes exceptionally; an internal error is a denial.
     */
    public CompletionStage<Decision> decideAsync(ToolCall call) {
        if (evaluator == null || !evaluator.countsRemotely()) {
            return CompletableFuture.completedFuture(decide(call));
        }
        try {
            return evaluator.decideAsync(call).exceptionally(unexpected -> policyError(call.tool(),
                    "the policy could not be evaluated (" + unexpected.getClass().getSimpleName() + ")"));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError unexpected) {
            return CompletableFuture.completedFuture(policyError(call.tool(), "the policy could not be evaluated ("
                    + unexpected.getClass().getSimpleName() + ")"));
        }
    }

    /** Whether deciding may wait on I/O (limits counted in a remote store): callers on event loops use
     * {@link #decideAsync}. */
    public boolean countsRemotely() {
        return evaluator != null && evaluator.countsRemotely();
    }

    /** Whether {@code tool} is to be left out of tools/list. */
    public boolean isHidden(String tool) {
        return evaluator != null && evaluator.policy().isHidden(tool);
    }

    /** The policy this engine decides by; null for a {@link #failClosed} engine. */
    public LoadedPolicy policy() {
        return policy;
    }

    /** Why every call is denied, for a {@link #failClosed} engine; null otherwise. */
    public String failure() {
        return failure;
    }

    private static Decision policyError(String tool, String why) {
        return new Decision(Verdict.DENY, RuleKind.POLICY_ERROR, tool, Decision.POLICY_ERROR_RULE,
                "tool \"" + Quoted.name(tool) + "\" denied by " + Decision.POLICY_ERROR_RULE + ": " + why, Reservation.NONE,
                null, null);
    }
}
