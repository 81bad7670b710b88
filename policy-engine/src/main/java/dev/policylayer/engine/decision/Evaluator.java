package dev.policylayer.engine.decision;

import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.approval.ApprovalKey;
import dev.policylayer.engine.approval.ApprovalSpec;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.approval.ApprovalStoreException;
import dev.policylayer.engine.approval.Fingerprint;
import dev.policylayer.engine.approval.Outcome;
import dev.policylayer.engine.counter.Admission;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.counter.CounterUnits;
import dev.policylayer.engine.policy.Action;
import dev.policylayer.engine.policy.Condition;
import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.PatternLimit;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.policy.ToolRule;
import dev.policylayer.engine.predicate.ArgumentPath;
import dev.policylayer.engine.predicate.JsonNumbers;
import dev.policylayer.engine.predicate.Result;
import dev.policylayer.engine.text.Quoted;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides calls by one policy, in the spec's order: hidden, explicit deny, default deny, require, deny_if,
 * approval, limits. The limits of a call (all_tools, property limits, the tool's own, then {@code "*"}) go to the
 * counter store as one batch, reserved all or none, so a denied call consumes nothing and a remote store is asked
 * once.
 */
public final class Evaluator {
    /** Distinct tool names whose plan is cached; names beyond this are planned per call (callers choose names). */
    private static final int MAX_CACHED_PLANS = 4096;

    private final Policy policy;
    private final CounterStore counters;
    private final ApprovalStore approvals;
    private final String defaultGrant;
    private final boolean uncountedAllows;
    private final boolean needsApproval;
    private final Map<Limit, CounterKeys> keys = new IdentityHashMap<>();
    private final ConcurrentHashMap<String, ToolPlan> plans = new ConcurrentHashMap<>();

    public Evaluator(Policy policy, CounterStore counters, String grant) {
        this(policy, counters, grant, false);
    }

    /**
     * @param grant           whose {@code grant}-scoped counters a call without a grant of its own counts against
     * @param uncountedAllows whether a limit the store cannot count (file deleted, store full) lets the call
     *                        through ({@code policylayer.fail=open}) instead of denying it (the default)
     */
    public Evaluator(Policy policy, CounterStore counters, String grant, boolean uncountedAllows) {
        this(policy, counters, null, grant, uncountedAllows);
    }

    /**
     * @param approvals where approvals of {@code require_approval} calls are kept; null for none (such calls then
     *                  get a fresh id every time, which nothing can approve: tools that only explain a policy)
     */
    public Evaluator(Policy policy, CounterStore counters, ApprovalStore approvals, String grant,
                     boolean uncountedAllows) {
        this.policy = policy;
        this.counters = counters;
        this.approvals = approvals;
        this.defaultGrant = grant;
        this.uncountedAllows = uncountedAllows;
        this.needsApproval = policy.toolRules().stream().anyMatch(r -> r.action() == Action.REQUIRE_APPROVAL);
        List<Limit> all = new ArrayList<>(policy.allToolsLimits());
        policy.patternLimits().forEach(p -> all.add(p.limit()));
        policy.toolRules().forEach(rule -> all.addAll(rule.limits()));
        for (Limit limit : all) {
            keys.put(limit, new CounterKeys(limit, grant));
        }
    }

    public Policy policy() {
        return policy;
    }

    /** Whether limits are counted in a store that may wait on I/O: prefer {@link #decideAsync}. */
    public boolean countsRemotely() {
        return counters != null && counters.remote() || needsApproval && approvals != null && approvals.remote();
    }

    /** Decides at once; a remote store is waited for (up to its own timeout). */
    public Decision decide(ToolCall call) {
        Object step = rules(call);
        if (step instanceof Decision decided) {
            return decided;
        }
        Counting counting = (Counting) step;
        return counting.finish(counters.reserve(counting.batch));
    }

    /** Decides without blocking on the counter store: the stage completes when the store has answered. */
    public CompletionStage<Decision> decideAsync(ToolCall call) {
        if (needsApproval && approvals != null && approvals.remote() && needsApproval(call.tool())) {
            return CompletableFuture.supplyAsync(() -> decide(call), ApprovalStore.executor());
        }
        Object step = rules(call);
        if (step instanceof Decision decided) {
            return CompletableFuture.completedFuture(decided);
        }
        Counting counting = (Counting) step;
        return counters.reserveAsync(counting.batch).thenApply(counting::finish);
    }

    /** Every rule before the counters: a final decision, or the batch of limits still to count. */
    private Object rules(ToolCall call) {
        String tool = call.tool();
        if (policy.isHidden(tool)) {
            return denial(Verdict.HIDDEN, RuleKind.HIDDEN, tool, Decision.HIDDEN_RULE,
                    "the tool is hidden by the policy", null);
        }
        ToolPlan plan = plan(tool);
        for (ToolRule rule : plan.rules) {
            if (rule.action() == Action.DENY) {
                return denial(Verdict.DENY, RuleKind.ACTION, tool, rule.pointer() + "/action",
                        "the policy blocks every call to this tool", rule.onDeny());
            }
        }
        if (plan.own == null && !policy.defaultAllow()) {
            return denial(Verdict.DENY, RuleKind.DEFAULT_DENY, tool, Decision.DEFAULT_DENY_RULE,
                    "the policy does not list this tool", null);
        }
        Map<String, ?> arguments = call.arguments();
        for (ToolRule rule : plan.rules) {
            for (Condition condition : rule.require()) {
                Result result = condition.predicate().test(arguments);
                if (result != Result.HOLDS) {
                    return denial(Verdict.DENY, RuleKind.REQUIRE, tool, condition.pointer(),
                            "required: " + condition.predicate().explain(result), rule.onDeny());
                }
            }
        }
        for (ToolRule rule : plan.rules) {
            for (Condition condition : rule.denyIf()) {
                Result result = condition.predicate().test(arguments);
                // A value that cannot be compared fails closed: the denial rule is taken to hold.
                if (result == Result.HOLDS || result == Result.INCOMPARABLE) {
                    return denial(Verdict.DENY, RuleKind.DENY_IF, tool, condition.pointer(),
                            condition.predicate().explain(result), rule.onDeny());
                }
            }
        }
        for (ToolRule rule : plan.rules) {
            if (rule.action() == Action.REQUIRE_APPROVAL) {
                return approval(call, rule, plan);
            }
        }
        if (plan.limits.length == 0) {
            return plan.allowed;
        }
        return batch(call, plan);
    }

    private boolean needsApproval(String tool) {
        if (policy.isHidden(tool)) {
            return false;
        }
        for (ToolRule rule : plan(tool).rules) {
            if (rule.action() == Action.REQUIRE_APPROVAL) {
                return true;
            }
        }
        return false;
    }

    /**
     * The approval step: a call with a usable approval of its exact arguments takes one use and goes on to its
     * limits (the use is given back if they refuse it); otherwise it is pending, or denied by an operator. A store
     * that cannot be read denies (fail closed).
     */
    private Object approval(ToolCall call, ToolRule rule, ToolPlan plan) {
        String tool = call.tool();
        String pointer = rule.pointer() + "/action";
        ApprovalSpec spec = rule.approval() == null ? ApprovalSpec.DEFAULT : rule.approval();
        if (approvals == null) {
            String id = UUID.randomUUID().toString();
            return new Decision(Verdict.APPROVAL_REQUIRED, RuleKind.APPROVAL, tool, pointer, "tool \""
                    + Quoted.name(tool) + "\" requires human approval (rule " + pointer + "); approval " + id,
                    Reservation.NONE, id, null, spec);
        }
        ApprovalKey key = new ApprovalKey(call.grant() == null ? defaultGrant : call.grant(), tool,
                Fingerprint.of(call.arguments()));
        Outcome outcome;
        try {
            outcome = approvals.decide(key, spec, argumentKeys(call.arguments()));
        } catch (ApprovalStoreException unusable) {
            return denial(Verdict.DENY, RuleKind.APPROVAL, tool, pointer, "its approval cannot be checked: "
                    + unusable.getMessage(), rule.onDeny());
        }
        Approval approval = outcome.approval();
        switch (outcome.kind()) {
            case DENIED -> {
                return denial(Verdict.DENY, RuleKind.APPROVAL, tool, pointer, "approval " + approval.id()
                        + " was denied by " + Quoted.name(approval.decidedBy()) + (approval.reason() == null ? ""
                        : ": " + Quoted.name(approval.reason())), rule.onDeny()).usingApproval(approval.id());
            }
            case PENDING -> {
                return new Decision(Verdict.APPROVAL_REQUIRED, RuleKind.APPROVAL, tool, pointer, "tool \""
                        + Quoted.name(tool) + "\" requires human approval (rule " + pointer + "): approval "
                        + approval.id() + " is pending; call again once approved", Reservation.NONE, approval.id(),
                        null, spec);
            }
            default -> {
                Object next = plan.limits.length == 0 ? plan.allowed : batch(call, plan);
                if (next instanceof Counting counting) {
                    counting.approvalUsed = approval.id();
                    return counting;
                }
                return settleApproval((Decision) next, approval.id());
            }
        }
    }

    /** An allowed call names the approval it used; a refused one gives the use back. */
    private Decision settleApproval(Decision decision, String id) {
        if (!decision.allowed()) {
            try {
                approvals.giveBack(id);
            } catch (ApprovalStoreException lost) {
                // the use stays spent: the safe side
            }
        }
        return decision.usingApproval(id);
    }

    /** The call's top-level argument names, bounded, for the operator (never a value). */
    private static List<String> argumentKeys(Map<String, ?> arguments) {
        List<String> keys = new ArrayList<>();
        for (String key : arguments.keySet()) {
            if (keys.size() == 50) {
                keys.add("(" + (arguments.size() - 50) + " more)");
                break;
            }
            keys.add(Quoted.name(key));
        }
        java.util.Collections.sort(keys);
        return keys;
    }

    /** The call's limits as one batch, or the denial of the first limit that cannot even be asked for. */
    private Object batch(ToolCall call, ToolPlan plan) {
        HeldReservation batch = new HeldReservation(counters, plan.limits.length);
        for (Limit limit : plan.limits) {
            long amount = limit.increment();
            if (limit.incrementFrom() != null) {
                amount = amountFrom(limit.incrementFrom(), call.arguments());
                if (amount < 0) {
                    return denial(Verdict.DENY, RuleKind.LIMITS, call.tool(), limit.pointer(), limit.incrementFrom()
                            + " must be a number of 0 or more, small enough to count, for the limit "
                            + limit.summary(), plan.onDenyOf(limit));
                }
                if (amount == 0) {
                    continue; // nothing to count
                }
            }
            String key = keys.get(limit).keyFor(call);
            if (key == null) {
                return denial(Verdict.DENY, RuleKind.LIMITS, call.tool(), limit.pointer(), "the limit "
                        + limit.summary() + " counts per session, and this call's session cannot be identified ("
                        + call.session().unreadable() + ")", plan.onDenyOf(limit));
            }
            batch.add(limit, key, amount);
        }
        if (batch.size() == 0) {
            return plan.allowed;
        }
        return new Counting(call, plan, batch, null);
    }

    /** A call whose rules all passed, waiting for the counter store's answer. */
    private final class Counting {
        final ToolCall call;
        final ToolPlan plan;
        final HeldReservation batch;
        final String uncounted;
        /** The approval whose use this call took, or null. */
        String approvalUsed;

        Counting(ToolCall call, ToolPlan plan, HeldReservation batch, String uncounted) {
            this.call = call;
            this.plan = plan;
            this.batch = batch;
            this.uncounted = uncounted;
        }

        Decision finish(Admission admission) {
            Decision decision = count(admission);
            return approvalUsed == null ? decision : settleApproval(decision, approvalUsed);
        }

        private Decision count(Admission admission) {
            Counting counting = this;
            while (true) {
                switch (admission.outcome()) {
                    case GRANTED -> {
                        return new Decision(Verdict.ALLOW, plan.allowKind, call.tool(), plan.allowRule, "allowed",
                                counting.batch, null, counting.uncounted);
                    }
                    case REFUSED -> {
                        Limit limit = counting.batch.limit(admission.index());
                        return denial(Verdict.DENY, RuleKind.LIMITS, call.tool(), limit.pointer(),
                                limit.summary() + " reached" + nextCall(admission.retryAfterMillis()),
                                plan.onDenyOf(limit));
                    }
                    default -> {
                        Limit limit = counting.batch.limit(Math.max(0, admission.index()));
                        if (!uncountedAllows) {
                            return denial(Verdict.DENY, RuleKind.LIMITS, call.tool(), limit.pointer(), "the limit "
                                    + limit.summary() + " cannot be counted (" + admission.failure() + ")",
                                    plan.onDenyOf(limit));
                        }
                        // policylayer.fail=open: this limit goes uncounted, the others are still counted.
                        String why = "the limit " + limit.summary() + " could not be counted ("
                                + admission.failure() + ") and policylayer.fail=open";
                        counting.batch.remove(Math.max(0, admission.index()));
                        if (counting.batch.size() == 0) {
                            return new Decision(Verdict.ALLOW, plan.allowKind, call.tool(), plan.allowRule,
                                    "allowed", Reservation.NONE, null, why);
                        }
                        counting = new Counting(call, plan, counting.batch, why);
                        admission = counters.reserve(counting.batch);
                    }
                }
            }
        }
    }

    /** Units to add, -1 when the argument is missing, not a number, negative or too large. */
    private static long amountFrom(ArgumentPath path, Map<String, ?> arguments) {
        Object value = path.resolve(arguments);
        BigDecimal number = ArgumentPath.isMissing(value) || value instanceof Boolean ? null
                : JsonNumbers.toDecimal(value);
        if (number == null || number.signum() < 0) {
            return -1;
        }
        try {
            return CounterUnits.of(number);
        } catch (ArithmeticException tooLarge) {
            return -1;
        }
    }

    private static String nextCall(long retryAfterMillis) {
        if (retryAfterMillis <= 0) {
            return "; this call is larger than the whole limit";
        }
        long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
        return "; next call allowed in " + seconds + "s";
    }

    private static Decision denial(Verdict verdict, RuleKind kind, String tool, String rule, String why,
                                   String onDeny) {
        String explanation = "tool \"" + Quoted.name(tool) + "\" denied by " + rule + ": " + why;
        String message = onDeny == null ? explanation : onDeny + " (" + explanation + ")";
        return new Decision(verdict, kind, tool, rule, message, Reservation.NONE, null, null);
    }

    private ToolPlan plan(String tool) {
        ToolPlan plan = plans.get(tool);
        if (plan != null) {
            return plan;
        }
        plan = new ToolPlan(policy, tool);
        if (plans.size() < MAX_CACHED_PLANS && tool.length() <= CounterKeys.MAX_IDENTITY_CHARS) {
            plans.putIfAbsent(tool, plan);
        }
        return plan;
    }

    /** What applies to one tool name, worked out once. */
    private static final class ToolPlan {
        final ToolRule own;
        /** The tool's own rule, then {@code "*"}: the order their rules are checked in. */
        final ToolRule[] rules;
        final Limit[] limits;
        final String allowRule;
        final RuleKind allowKind;
        /** The decision of an allowed call with nothing to count: one shared value, so deciding allocates nothing. */
        final Decision allowed;
        private final Map<Limit, String> onDeny = new IdentityHashMap<>();

        ToolPlan(Policy policy, String tool) {
            own = policy.ownRule(tool);
            ToolRule star = policy.everyToolRule();
            List<ToolRule> applicable = new ArrayList<>(2);
            if (own != null) {
                applicable.add(own);
            }
            if (star != null) {
                applicable.add(star);
            }
            rules = applicable.toArray(new ToolRule[0]);
            List<Limit> all = new ArrayList<>(policy.allToolsLimits());
            for (PatternLimit patternLimit : policy.patternLimits()) {
                if (patternLimit.tools().matches(tool)) {
                    all.add(patternLimit.limit());
                }
            }
            for (ToolRule rule : rules) {
                for (Limit limit : rule.limits()) {
                    all.add(limit);
                    onDeny.put(limit, rule.onDeny());
                }
            }
            limits = all.toArray(new Limit[0]);
            allowRule = own != null ? own.pointer() : Decision.DEFAULT_ALLOW_RULE;
            allowKind = own != null ? RuleKind.TOOL_ENTRY : RuleKind.DEFAULT_ALLOW;
            allowed = new Decision(Verdict.ALLOW, allowKind, tool, allowRule, "allowed", Reservation.NONE, null, null);
        }

        String onDenyOf(Limit limit) {
            return onDeny.get(limit);
        }
    }
}
