package dev.policylayer.agent.gate;

import dev.policylayer.agent.integration.Integration;
import dev.policylayer.agent.integration.Integrations;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.bootstrap.GateDelegate;
import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallRefused;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.RuleKind;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.text.Quoted;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The agent's side of every choke point, for every integration: reads the call through the integration's
 * {@link CallChannel}, asks the engine, and answers in the library's own terms. Knows no library.
 *
 * <p>Fails closed: a call the agent cannot read or decide is denied with a text that says why; when the library's
 * own denial cannot be built, the integration's second way is tried, and then the method throws
 * {@link ToolCallRefused} instead of running. Each side (client, server) decides and counts its own calls.
 */
public final class ToolCallDecider implements GateDelegate {
    public static final String DENIED = "[POLICY DENIED] ";
    public static final String APPROVAL = "[APPROVAL REQUIRED] ";
    static final String MALFORMED_RULE = "(malformed call)";
    static final String AGENT_ERROR_RULE = "(agent error)";
    static final String STARTING_RULE = "(agent starting)";
    static final String NO_POLICY_RULE = "(no policy, fail open)";
    /** How long a call that arrives while the agent starts waits for its policy before it is denied. */
    static final long START_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Integrations integrations;
    private final PolicyInForce policies;
    private final boolean monitor;
    private final String grant;
    private final DecisionListener listener;

    /**
     * @param policies the policy in force, from before it is known
     * @param monitor  decide and log, but block nothing ({@code policylayer.mode=monitor})
     * @param grant    the grant this process's calls count against ({@code policylayer.grant})
     * @param listener hears every decision (audit, metrics, flight recorder)
     */
    public ToolCallDecider(Integrations integrations, PolicyInForce policies, boolean monitor, String grant,
                           DecisionListener listener) {
        this.integrations = integrations;
        this.policies = policies;
        this.monitor = monitor;
        this.grant = grant;
        this.listener = listener;
    }

    @Override
    public Object enter(String integrationId, Object self, Object[] arguments) {
        Settlement decided = Reinvocation.take();
        if (decided != null) {
            return decided; // a call decided later, run now: already decided and counted
        }
        CallChannel channel = null;
        Side side = Side.SERVER;
        try {
            Integration integration = integrations.byId(integrationId);
            channel = integration.channel(self);
            side = channel.side();
            return decide(channel, self, arguments, channel.read(self, arguments));
        } catch (Throwable failure) {
            return agentError(channel, self, side, failure);
        }
    }

    private Object decide(CallChannel channel, Object self, Object[] arguments, ToolRequest request) {
        long start = System.nanoTime();
        if (request.name() == null || request.malformed() != null) {
            String why = "call denied: " + (request.name() == null ? "the call names no tool" : request.malformed());
            record(start, channel.side(), request, Verdict.DENY, RuleKind.MALFORMED, MALFORMED_RULE, why, null, null,
                    null);
            return refuse(channel, self, DENIED + why, request);
        }
        LivePolicy live = policies.now();
        if (live == null) {
            return whileStarting(channel, self, arguments, request, start);
        }
        return decideBy(live.current(), channel, self, arguments, request, start);
    }

    private Object decideBy(PolicyEngine engine, CallChannel channel, Object self, Object[] arguments,
                            ToolRequest request, long start) {
        if (engine == null) {
            AgentLog.warnOnce("fail-open", "no policy is in force and policylayer.fail=open: tool calls are ALLOWED"
                    + " unchecked");
            record(start, channel.side(), request, Verdict.ALLOW, RuleKind.NO_POLICY, NO_POLICY_RULE, "", null, null,
                    null);
            return pass(channel, self, Reservation.NONE);
        }
        ToolCall call = new ToolCall(request.name(), request.arguments(), channel.side(), request.session(), grant);
        if (engine.countsRemotely()) {
            CompletionStage<Decision> pending = engine.decideAsync(call);
            CompletableFuture<Decision> future = pending.toCompletableFuture();
            if (!future.isDone()) {
                Object later = channel.later(self, arguments, future.thenApply(decision ->
                        laterOf(decision, engine, channel, self, request, start)));
                if (later != null) {
                    return Replacement.returning(later);
                }
            }
            return answer(future.join(), engine, channel, self, request, start); // the store's timeout bounds this
        }
        return answer(engine.decide(call), engine, channel, self, request, start);
    }

    /** The agent is still loading its policy: decide once it is in force, or deny when it takes too long. */
    private Object whileStarting(CallChannel channel, Object self, Object[] arguments, ToolRequest request,
                                 long start) {
        CompletableFuture<LivePolicy> started = policies.whenStarted();
        Object later = channel.later(self, arguments, started.thenApply(Object.class::cast)
                .completeOnTimeout(null, START_WAIT_NANOS, TimeUnit.NANOSECONDS)
                .thenCompose(policy -> policy == null
                        ? CompletableFuture.completedFuture(notStarted(channel, request, start))
                        : decideLater(((LivePolicy) policy).current(), channel, self, request, start)));
        if (later != null) {
            return Replacement.returning(later);
        }
        LivePolicy live = policies.await(START_WAIT_NANOS);
        if (live == null) {
            Later refused = notStarted(channel, request, start);
            return refused.denied() ? refuse(channel, self, refused.denial(), request) : pass(channel, self,
                    Reservation.NONE);
        }
        return decideBy(live.current(), channel, self, arguments, request, start);
    }

    private CompletionStage<Later> decideLater(PolicyEngine engine, CallChannel channel, Object self,
                                               ToolRequest request, long start) {
        if (engine == null) {
            record(start, channel.side(), request, Verdict.ALLOW, RuleKind.NO_POLICY, NO_POLICY_RULE, "", null, null,
                    null);
            return CompletableFuture.completedFuture(new Later(null, new Settlement(Reservation.NONE, channel, self)));
        }
        ToolCall call = new ToolCall(request.name(), request.arguments(), channel.side(), request.session(), grant);
        return engine.decideAsync(call).thenApply(decision -> laterOf(decision, engine, channel, self, request,
                start));
    }

    private Later notStarted(CallChannel channel, ToolRequest request, long start) {
        String why = "the policy agent has not finished starting after " + TimeUnit.NANOSECONDS.toSeconds(
                START_WAIT_NANOS) + "s";
        if (policies.failOpen()) {
            AgentLog.warnOnce("start-slow-open", why + " and policylayer.fail=open: the call is ALLOWED unchecked");
            record(start, channel.side(), request, Verdict.ALLOW, RuleKind.AGENT_STARTING, STARTING_RULE, "", null,
                    null, null);
            return new Later(null, new Settlement(Reservation.NONE, channel, null));
        }
        String message = "tool \"" + Quoted.name(request.name()) + "\" denied by " + STARTING_RULE + ": " + why;
        record(start, channel.side(), request, Verdict.DENY, RuleKind.AGENT_STARTING, STARTING_RULE, message, null,
                null, null);
        return new Later(monitor ? null : DENIED + message, monitor
                ? new Settlement(Reservation.NONE, channel, null) : null);
    }

    /** A decision made later, as the integration's deferred answer needs it. */
    private Later laterOf(Decision decision, PolicyEngine engine, CallChannel channel, Object self,
                          ToolRequest request, long start) {
        recordDecision(decision, engine, channel, request, start);
        if (decision.allowed() || monitor) {
            return new Later(null, new Settlement(decision.reservation(), channel, self));
        }
        return new Later(prefix(decision) + decision.message(), null);
    }

    private Object answer(Decision decision, PolicyEngine engine, CallChannel channel, Object self,
                          ToolRequest request, long start) {
        recordDecision(decision, engine, channel, request, start);
        if (decision.allowed()) {
            return pass(channel, self, decision.reservation());
        }
        if (monitor) {
            AgentLog.info("monitor: " + channel.side().tag() + " call to tool \"" + Quoted.name(request.name())
                    + "\" would be " + (decision.verdict() == Verdict.APPROVAL_REQUIRED ? "held for approval"
                    : "denied") + " by " + decision.rule());
            return null;
        }
        return denial(channel, self, prefix(decision) + decision.message());
    }

    private static String prefix(Decision decision) {
        return decision.verdict() == Verdict.APPROVAL_REQUIRED ? APPROVAL : DENIED;
    }

    private void recordDecision(Decision decision, PolicyEngine engine, CallChannel channel, ToolRequest request,
                                long start) {
        if (decision.isUncounted()) {
            AgentLog.warnOnce("uncounted", "calls are let through uncounted: " + decision.uncounted());
        }
        record(start, channel.side(), request, decision.verdict(), decision.kind(), decision.rule(),
                decision.allowed() ? "" : decision.message(), engine, decision.uncounted(), decision.approvalId());
    }

    /** An allowed call: the token its exit settles, or nothing when there is nothing to settle or watch. */
    private static Object pass(CallChannel channel, Object self, Reservation reservation) {
        if (reservation == Reservation.NONE && !channel.watchesEveryCall()) {
            return null;
        }
        return new Settlement(reservation, channel, self);
    }

    /** A denial the agent made itself (malformed call, agent error): blocked unless in monitor mode. */
    private Object refuse(CallChannel channel, Object self, String text, ToolRequest request) {
        if (monitor) {
            AgentLog.info("monitor: " + (channel == null ? "a" : channel.side().tag()) + " call to tool \""
                    + Quoted.name(request == null ? null : request.name()) + "\" would be denied: " + text);
            return null;
        }
        return denial(channel, self, text);
    }

    /**
     * The library's own denial; if it cannot be built, the integration's second way to refuse; if that fails too,
     * the method throws {@link ToolCallRefused} instead of running. Never lets the call through.
     */
    private static Replacement denial(CallChannel channel, Object self, String text) {
        if (channel == null) {
            return Replacement.throwing(new ToolCallRefused(text));
        }
        try {
            return Replacement.returning(channel.denial(self, text));
        } catch (Throwable cannotBuild) {
            AgentLog.errorOnce("deny-" + channel.getClass().getName(), "could not build the library's own denial; the"
                    + " call is refused another way", cannotBuild);
        }
        try {
            return Replacement.returning(channel.refusal(self, text));
        } catch (Throwable noSecondWay) {
            return Replacement.throwing(new ToolCallRefused(text));
        }
    }

    /** The agent could not read or decide the call: deny it, and say so once in the log. */
    private Object agentError(CallChannel channel, Object self, Side side, Throwable failure) {
        AgentLog.errorOnce("call-" + side.tag() + "-" + failure.getClass().getName(), "could not decide a "
                + side.tag() + "-side tool call; denying it", failure);
        String why = "the policy agent could not check this call, so it was denied (" + failure.getClass()
                .getSimpleName() + ")";
        record(System.nanoTime(), side, null, Verdict.DENY, RuleKind.AGENT_ERROR, AGENT_ERROR_RULE, why, null, null,
                null);
        return refuse(channel, self, DENIED + why, null);
    }

    @Override
    public Object exit(Object token, Object returned, Throwable thrown) {
        if (!(token instanceof Settlement settlement)) {
            return returned;
        }
        if (thrown != null) {
            settlement.channel().threw(settlement, thrown);
            return returned;
        }
        if (returned == null) {
            settlement.failed();
            return null;
        }
        try {
            return settlement.channel().settleOnOutcome(settlement.self(), returned, settlement);
        } catch (Throwable cannotWatch) {
            // Cannot watch the outcome: the quota stays spent, which errs on the safe side.
            settlement.succeeded();
            AgentLog.errorOnce("observe-" + cannotWatch.getClass().getName(), "could not watch a tool call's"
                    + " outcome; its quota stays spent", cannotWatch);
            return returned;
        }
    }

    @Override
    public Object list(String integrationId, Object self, Object returned) {
        try {
            CallChannel channel = integrations.byId(integrationId).channel(self);
            return channel.filterList(self, returned, new Visibility(policies));
        } catch (Throwable failure) {
            AgentLog.errorOnce("list-" + failure.getClass().getName(), "could not filter a tools/list result; hidden"
                    + " tools may be listed (calls to them are still denied)", failure);
            return returned;
        }
    }

    /**
     * Which tools one listing shows, by one policy: the engine is taken once, at the first tool, so a listing never
     * mixes two policies (a reload between two tools of one list).
     */
    private static final class Visibility implements Predicate<String> {
        private final PolicyInForce policies;
        private volatile PolicyEngine engine;
        private volatile boolean taken;

        Visibility(PolicyInForce policies) {
            this.policies = policies;
        }

        @Override
        public boolean test(String tool) {
            if (!taken) {
                LivePolicy live = policies.await(START_WAIT_NANOS);
                engine = live == null ? PolicyEngine.failClosed("not started") : live.current();
                taken = true;
            }
            PolicyEngine decidedBy = engine;
            if (decidedBy == null) {
                return true; // no policy and policylayer.fail=open: nothing is hidden
            }
            if (decidedBy.policy() == null) {
                return policies.failOpen(); // no valid policy: hide nothing only if failing open (calls are denied)
            }
            return !decidedBy.isHidden(tool);
        }
    }

    private void record(long start, Side side, ToolRequest request, Verdict verdict, RuleKind kind, String rule,
                        String message, PolicyEngine engine, String uncounted, String approvalId) {
        if (listener == DecisionListener.NONE) {
            return;
        }
        long latency = System.nanoTime() - start;
        try {
            boolean enforced = !monitor || verdict == Verdict.ALLOW;
            String hash = engine == null || engine.policy() == null ? null : engine.policy().hash();
            String tool = request == null || request.name() == null ? null : Quoted.name(request.name());
            String session = request == null ? null : request.session().id();
            listener.decided(new DecisionRecord(System.currentTimeMillis(), side, tool, verdict, kind, rule, message,
                    enforced, session == null ? null : Quoted.name(session), grant,
                    keys(request == null ? null : request.arguments()), hash, latency, uncounted, approvalId));
        } catch (RuntimeException | LinkageError failure) {
            AgentLog.errorOnce("record-" + failure.getClass().getName(), "could not record a decision", failure);
        }
    }

    /** The sorted top-level keys, capped and bounded: a call with a million keys must not cost a million-key sort. */
    private static List<String> keys(Map<String, Object> arguments) {
        if (arguments == null || arguments.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(Math.min(arguments.size(), DecisionRecord.MAX_KEYS + 1));
        for (String key : arguments.keySet()) {
            if (keys.size() == DecisionRecord.MAX_KEYS) {
                Collections.sort(keys);
                keys.add("(" + (arguments.size() - DecisionRecord.MAX_KEYS) + " more)");
                return keys;
            }
            keys.add(Quoted.name(key));
        }
        Collections.sort(keys);
        return keys;
    }
}
