package dev.policylayer.engine.decision;

import dev.policylayer.engine.counter.Acquisition;
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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides calls by one policy, in the spec's order: hidden, explicit deny, default deny, require, deny_if,
 * approval, limits. Limits are acquired last and in order (all_tools, property limits, the tool's own, then
 * {@code "*"}); if one refuses, the ones already acquired are given back, so a denied call consumes nothing.
 */
public final class Evaluator {
    /** Distinct tool names whose plan is cached; names beyond this are planned per call (callers choose names). */
    private static final int MAX_CACHED_PLANS = 4096;

    private final Policy policy;
    private final CounterStore counters;
    private final boolean uncountedAllows;
    private final Map<Limit, CounterKeys> keys = new IdentityHashMap<>();
    private final ConcurrentHashMap<String, ToolPlan> plans = new ConcurrentHashMap<>();

    public Evaluator(Policy policy, CounterStore counters, String grant) {
        this(policy, counters, grant, false);
    }

    /**
     * @param uncountedAllows whether a limit the store cannot count (file deleted, store full) lets the call
     *                        through ({@code policylayer.fail=open}) instead of denying it (the default)
     */
    public Evaluator(Policy policy, CounterStore counters, String grant, boolean uncountedAllows) {
        this.policy = policy;
        this.counters = counters;
        this.uncountedAllows = uncountedAllows;
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

    public Decision decide(ToolCall call) {
        String tool = call.tool();
        if (policy.isHidden(tool)) {
            return denial(Verdict.HIDDEN, tool, Decision.HIDDEN_RULE, "the tool is hidden by the policy", null);
        }
        ToolPlan plan = plan(tool);
        for (ToolRule rule : plan.rules) {
            if (rule.action() == Action.DENY) {
                return denial(Verdict.DENY, tool, rule.pointer() + "/action",
                        "the policy blocks every call to this tool", rule.onDeny());
            }
        }
        if (plan.own == null && !policy.defaultAllow()) {
            return denial(Verdict.DENY, tool, Decision.DEFAULT_DENY_RULE, "the policy does not list this tool",
                    null);
        }
        Map<String, ?> arguments = call.arguments();
        for (ToolRule rule : plan.rules) {
            for (Condition condition : rule.require()) {
                Result result = condition.predicate().test(arguments);
                if (result != Result.HOLDS) {
                    return denial(Verdict.DENY, tool, condition.pointer(),
                            "required: " + condition.predicate().explain(result), rule.onDeny());
                }
            }
        }
        for (ToolRule rule : plan.rules) {
            for (Condition condition : rule.denyIf()) {
                Result result = condition.predicate().test(arguments);
                // A value that cannot be compared fails closed: the denial rule is taken to hold.
                if (result == Result.HOLDS || result == Result.INCOMPARABLE) {
                    return denial(Verdict.DENY, tool, condition.pointer(),
                            condition.predicate().explain(result), rule.onDeny());
                }
            }
        }
        for (ToolRule rule : plan.rules) {
            if (rule.action() == Action.REQUIRE_APPROVAL) {
                String id = UUID.randomUUID().toString();
                return new Decision(Verdict.APPROVAL_REQUIRED, tool, rule.pointer() + "/action",
                        "tool \"" + tool + "\" requires human approval (rule " + rule.pointer()
                                + "/action); approval id " + id, Reservation.NONE, id);
            }
        }
        if (plan.limits.length == 0) {
            return new Decision(Verdict.ALLOW, tool, plan.allowRule, "allowed", Reservation.NONE, null);
        }
        return acquire(call, plan);
    }

    private Decision acquire(ToolCall call, ToolPlan plan) {
        HeldReservation held = new HeldReservation(counters, plan.limits.length);
        try {
            return acquireEach(call, plan, held);
        } catch (RuntimeException unexpected) {
            held.refund(); // whatever was acquired before the failure goes back; the caller denies
            throw unexpected;
        }
    }

    private Decision acquireEach(ToolCall call, ToolPlan plan, HeldReservation held) {
        String uncounted = null;
        for (int i = 0; i < plan.limits.length; i++) {
            Limit limit = plan.limits[i];
            long amount = limit.increment();
            if (limit.incrementFrom() != null) {
                amount = amountFrom(limit.incrementFrom(), call.arguments());
                if (amount < 0) {
                    held.refund();
                    return denial(Verdict.DENY, call.tool(), limit.pointer(), limit.incrementFrom()
                            + " must be a number of 0 or more, small enough to count, for the limit " + limit.summary(),
                            plan.onDenyOf(limit));
                }
                if (amount == 0) {
                    continue; // nothing to count
                }
            }
            String key = keys.get(limit).keyFor(call);
            Acquisition acquisition = counters.tryAcquire(key, limit.spec(), amount);
            if (acquisition.failure() != null && uncountedAllows) {
                uncounted = "the limit " + limit.summary() + " could not be counted (" + acquisition.failure() + ")";
                continue;
            }
            if (!acquisition.granted()) {
                held.refund();
                String why = acquisition.failure() != null
                        ? "the limit " + limit.summary() + " cannot be counted (" + acquisition.failure() + ")"
                        : limit.summary() + " reached" + nextCall(acquisition.retryAfterMillis());
                return denial(Verdict.DENY, call.tool(), limit.pointer(), why, plan.onDenyOf(limit));
            }
            held.hold(limit, key, amount, acquisition.ticket());
        }
        return new Decision(Verdict.ALLOW, call.tool(), plan.allowRule, uncounted == null ? "allowed"
                : Decision.UNCOUNTED_PREFIX + uncounted + " and policylayer.fail=open", held, null);
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

    private static Decision denial(Verdict verdict, String tool, String rule, String why, String onDeny) {
        String explanation = "tool \"" + tool + "\" denied by " + rule + ": " + why;
        String message = onDeny == null ? explanation : onDeny + " (" + explanation + ")";
        return new Decision(verdict, tool, rule, message, Reservation.NONE, null);
    }

    private ToolPlan plan(String tool) {
        ToolPlan plan = plans.get(tool);
        if (plan != null) {
            return plan;
        }
        plan = new ToolPlan(policy, tool);
        if (plans.size() < MAX_CACHED_PLANS) {
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
        }

        String onDenyOf(Limit limit) {
            return onDeny.get(limit);
        }
    }
}
