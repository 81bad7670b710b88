package dev.policylayer.agent.gate;

import dev.policylayer.agent.caller.CallerGrant;
import dev.policylayer.agent.caller.Callers;
import dev.policylayer.agent.caller.Credential;
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
    private final Callers callers;
    private final ApprovalDesk approvals;
    private final DecisionListener listener;

    /**
     * @param policies the policy in force, from before it is known
     * @param monitor  decide and log, but block nothing ({@code policylayer.mode=monitor})
     * @param callers  whose calls these are: the grant each counts against, and the policy it is decided by
     * @param listener hears every decision (audit, metrics, flight recorder)
     */
    public ToolCallDecider(Integrations integrations, PolicyInForce policies, boolean monitor, Callers callers,
                           DecisionListener listener) {
        this(integrations, policies, monitor, callers, new ApprovalDesk(), listener);
    }

    /** @param approvals asks or holds calls that need approval, by their tools' modes */
    public ToolCallDecider(Integrations integrations, PolicyInForce policies, boolean monitor, Callers callers,
                           ApprovalDesk approvals, DecisionListener listener) {
        this.integrations = integrations;
        this.policies = policies;
        this.monitor = monitor;
        this.callers = callers;
        this.approvals = approvals;
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
            // Read as the call enters, on the request's own thread: a deferred decision runs on another.
            Credential presented = side == Side.SERVER ? callers.presented() : null;
            return decide(channel, self, arguments, channel.read(self, arguments), presented);
        } catch (Throwable failure) {
            return agentError(channel, self, side, failure);
        }
    }

    private Object decide(CallChannel channel, Object self, Object[] arguments, ToolRequest request,
                          Credential presented) {
        long start = System.nanoTime();
        if (request.name() == null || request.malformed() != null) {
            String why = "call denied: " + (request.name() == null ? "the call names no tool" : request.malformed());
            record(start, channel.side(), request, Verdict.DENY, RuleKind.MALFORMED, MALFORMED_RULE, why, null, null,
                    null, before(channel.side()));
            return refuse(channel, self, DENIED + why, request);
        }
        LivePolicy live = policies.now();
        if (live == null) {
            return whileStarting(channel, self, arguments, request, presented, start);
        }
        CallerGrant caller = callerOf(channel.side(), presented, live);
        if (caller.isDenied()) {
            return refuse(channel, self, noGrant(channel, request, caller, start), request);
        }
        return decideBy(caller, channel, self, arguments, request, start);
    }

    private CallerGrant callerOf(Side side, Credential presented, LivePolicy main) {
        return side == Side.SERVER ? callers.grantFor(presented, main) : callers.forClient(main);
    }

    /** Records a call whose caller has no grant, and returns its denial's text. */
    private String noGrant(CallChannel channel, ToolRequest request, CallerGrant caller, long start) {
        String message = "tool \"" + Quoted.name(request.name()) + "\" denied by " + Callers.NO_GRANT_RULE + ": "
                + caller.denial();
        record(start, channel.side(), request, Verdict.DENY, RuleKind.NO_GRANT, Callers.NO_GRANT_RULE, message, null,
                null, null, null);
        return DENIED + message;
    }

    private String before(Side side) {
        return callers.labelBeforeKnown(side == Side.SERVER);
    }

    private Object decideBy(CallerGrant caller, CallChannel channel, Object self, Object[] arguments,
                            ToolRequest request, long start) {
        PolicyEngine engine = caller.policy().current();
        if (engine == null) {
            AgentLog.warnOnce("fail-open", "no policy is in force and policylayer.fail=open: tool calls are ALLOWED"
                    + " unchecked");
            record(start, channel.side(), request, Verdict.ALLOW, RuleKind.NO_POLICY, NO_POLICY_RULE, "", null, null,
                    null, caller.label());
            return pass(channel, self, Reservation.NONE);
        }
        ToolCall call = new ToolCall(request.name(), request.arguments(), channel.side(), request.session(),
                caller.label());
        if (engine.countsRemotely()) {
            CompletionStage<Decision> pending = engine.decideAsync(call);
            CompletableFuture<Decision> future = pending.toCompletableFuture();
            if (!future.isDone()) {
                Object later = channel.later(self, arguments, future.thenCompose(decision -> approved(decision,
                        engine, call, channel, self, arguments, request, start)).thenApply(decision ->
                        laterOf(decision, engine, channel, self, request, start, caller.label())));
                if (later != null) {
                    return Replacement.returning(later);
                }
            }
            // the store's timeout bounds this
            return answer(future.join(), engine, call, channel, self, arguments, request, start);
        }
        return answer(engine.decide(call), engine, call, channel, self, arguments, request, start);
    }

    /**
     * A decision that needs approval, once asked or held (recording the pending decision first); any other
     * decision, or one to answer at once (async), as it is.
     */
    private CompletionStage<Decision> approved(Decision decision, PolicyEngine engine, ToolCall call,
                                               CallChannel channel, Object self, Object[] arguments,
                                               ToolRequest request, long start) {
        if (decision.verdict() != Verdict.APPROVAL_REQUIRED || monitor) {
            return CompletableFuture.completedFuture(decision);
        }
        CompletionStage<Decision> waited = approvals.resolve(decision, engine, call, channel, self, arguments);
        if (waited == null) {
            return CompletableFuture.completedFuture(decision);
        }
        recordDecision(decision, engine, channel, request, start, call.grant());
        return waited;
    }

    /** The agent is still loading its policy: decide once it is in force, or deny when it takes too long. */
    private Object whileStarting(CallChannel channel, Object self, Object[] arguments, ToolRequest request,
                                 Credential presented, long start) {
        CompletableFuture<LivePolicy> started = policies.whenStarted();
        Object later = channel.later(self, arguments, started.thenApply(Object.class::cast)
                .completeOnTimeout(null, START_WAIT_NANOS, TimeUnit.NANOSECONDS)
                .thenCompose(policy -> policy == null
                        ? CompletableFuture.completedFuture(notStarted(channel, request, start))
                        : decideLater(callerOf(channel.side(), presented, (LivePolicy) policy), channel, self,
                        request, start)));
        if (later != null) {
            return Replacement.returning(later);
        }
        LivePolicy live = policies.await(START_WAIT_NANOS);
        if (live == null) {
            Later refused = notStarted(channel, request, start);
            return refused.denied() ? refuse(channel, self, refused.denial(), request) : pass(channel, self,
                    Reservation.NONE);
        }
        CallerGrant caller = callerOf(channel.side(), presented, live);
        if (caller.isDenied()) {
            return refuse(channel, self, noGrant(channel, request, caller, start), request);
        }
        return decideBy(caller, channel, self, arguments, request, start);
    }

    private CompletionStage<Later> decideLater(CallerGrant caller, CallChannel channel, Object self,
                                               ToolRequest request, long start) {
        if (caller.isDenied()) {
            String denial = noGrant(channel, request, caller, start);
            return CompletableFuture.completedFuture(new Later(monitor ? null : denial, monitor
                    ? new Settlement(Reservation.NONE, channel, self) : null));
        }
        PolicyEngine engine = caller.policy().current();
        if (engine == null) {
            record(start, channel.side(), request, Verdict.ALLOW, RuleKind.NO_POLICY, NO_POLICY_RULE, "", null, null,
                    null, caller.label());
            return CompletableFuture.completedFuture(new Later(null, new Settlement(Reservation.NONE, channel, self)));
        }
        ToolCall call = new ToolCall(request.name(), request.arguments(), channel.side(), request.session(),
                caller.label());
        return engine.decideAsync(call).thenApply(decision -> laterOf(decision, engine, channel, self, request,
                start, caller.label()));
    }

    private Later notStarted(CallChannel channel, ToolRequest request, long start) {
        String why = "the policy agent has not finished starting after " + TimeUnit.NANOSECONDS.toSeconds(
                START_WAIT_NANOS) + "s";
        if (policies.failOpen()) {
            AgentLog.warnOnce("start-slow-open", why + " and policylayer.fail=open: the call is ALLOWED unchecked");
            record(start, channel.side(), request, Verdict.ALLOW, RuleKind.AGENT_STARTING, STARTING_RULE, "", null,
                    null, null, before(channel.side()));
            return new Later(null, new Settlement(Reservation.NONE, channel, null));
        }
        String message = "tool \"" + Quoted.name(request.name()) + "\" denied by " + STARTING_RULE + ": " + why;
        record(start, channel.side(), request, Verdict.DENY, RuleKind.AGENT_STARTING, STARTING_RULE, message, null,
                null, null, before(channel.side()));
        return new Later(monitor ? null : DENIED + message, monitor
                ? new Settlement(Reservation.NONE, channel, null) : null);
    }

    /** A decision made later, as the integration's deferred answer needs it. */
    private Later laterOf(Decision decision, PolicyEngine engine, CallChannel channel, Object self,
                          ToolRequest request, long start, String grant) {
        recordDecision(decision, engine, channel, request, start, grant);
        if (decision.allowed() || monitor) {
            return new Later(null, new Settlement(decision.reservation(), channel, self));
        }
        return new Later(prefix(decision) + decision.message(), null);
    }

    private Object answer(Decision decision, PolicyEngine engine, ToolCall call, CallChannel channel, Object self,
                          Object[] arguments, ToolRequest request, long start) {
        String grant = call.grant();
        if (decision.verdict() == Verdict.APPROVAL_REQUIRED && !monitor) {
            CompletionStage<Decision> waited = approvals.resolve(decision, engine, call, channel, self, arguments);
            if (waited != null) {
                Object later = channel.later(self, arguments, waited.thenApply(resolved -> laterOf(resolved, engine,
                        channel, self, request, start, grant)));
                if (later != null) {
                    recordDecision(decision, engine, channel, request, start, grant);
                    return Replacement.returning(later);
                }
            }
        }
        recordDecision(decision, engine, channel, request, start, grant);
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
                                long start, String grant) {
        if (decision.isUncounted()) {
            AgentLog.warnOnce("uncounted", "calls are let through uncounted: " + decision.uncounted());
        }
        record(start, channel.side(), request, decision.verdict(), decision.kind(), decision.rule(),
                decision.allowed() ? "" : decision.message(), engine, decision.uncounted(), decision.approvalId(), grant);
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
                null, before(side));
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
            Side side = channel.side();
            return channel.filterList(self, returned, new Visibility(policies, this, side, side == Side.SERVER
                    ? callers.presented() : null));
        } catch (Throwable failure) {
            AgentLog.errorOnce("list-" + failure.getClass().getName(), "could not filter a tools/list result; hidden"
                    + " tools may be listed (calls to them are still denied)", failure);
            return returned;
        }
    }

    @Override
    public Object requestEntered(String integrationId, Object request) {
        return callers.requests().enter(integrations.byId(integrationId).requests(), request);
    }

    @Override
    public void requestExited(String integrationId, Object token) {
        callers.requests().exit(token);
    }

    /**
     * Which tools one listing shows, by the lister's own policy (its grant's): the engine is taken once, at the
     * first tool, so a listing never mixes two policies (a reload between two tools of one list). What the caller
     * presented is read when the listing is made, on the request's thread; a caller with no grant sees nothing.
     */
    private static final class Visibility implements Predicate<String> {
        private final PolicyInForce policies;
        private final ToolCallDecider decider;
        private final Side side;
        private final Credential presented;
        private volatile PolicyEngine engine;
        private volatile boolean noGrant;
        private volatile boolean taken;

        Visibility(PolicyInForce policies, ToolCallDecider decider, Side side, Credential presented) {
            this.policies = policies;
            this.decider = decider;
            this.side = side;
            this.presented = presented;
        }

        @Override
        public boolean test(String tool) {
            if (!taken) {
                LivePolicy live = policies.await(START_WAIT_NANOS);
                CallerGrant caller = live == null ? null : decider.callerOf(side, presented, live);
                noGrant = caller != null && caller.isDenied();
                engine = caller == null ? PolicyEngine.failClosed("not started") : noGrant ? null
                        : caller.policy().current();
                taken = true;
            }
            if (noGrant) {
                return false; // every call of a caller without a grant is denied, whatever policylayer.fail says
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
                        String message, PolicyEngine engine, String uncounted, String approvalId, String grant) {
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
                    enforced, session == null ? null : Quoted.name(session), grant == null ? null : Quoted.name(grant),
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
