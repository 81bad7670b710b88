package dev.policylayer.agent.enforce;

import dev.policylayer.agent.langchain4j.LangChain4jBridge;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.sdk.SdkBridge;
import dev.policylayer.agent.sdk.SdkBridges;
import dev.policylayer.agent.sdk.ToolRequest;
import dev.policylayer.bootstrap.GateDelegate;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.reload.LivePolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's side of every choke point: reads the call, asks the engine, and answers through the SDK's own
 * types. Fails closed: a call the agent cannot read or decide is denied with a message saying why. Each side
 * (client, server) decides and counts its own calls, so an app that is both counts a call once per side.
 */
public final class Enforcer implements GateDelegate {
    static final String DENIED = "[POLICY DENIED] ";
    static final String APPROVAL = "[APPROVAL REQUIRED] ";
    static final String MALFORMED_RULE = "(malformed call)";
    static final String AGENT_ERROR_RULE = "(agent error)";
    static final String NO_POLICY_RULE = "(no policy, fail open)";

    private final LivePolicy live;
    private final boolean monitor;
    private final DecisionListener listener;
    private final KnownServers servers;
    private final Map<Object, String> clientIds = new WeakHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong();

    /**
     * @param live     the policy in force, followed across reloads; its engine may be null (fail open)
     * @param monitor  decide and log, but block nothing ({@code policylayer.mode=monitor})
     * @param listener hears every decision (audit, metrics, flight recorder)
     * @param servers  where servers seen are kept, to tell their clients when the hide list changes
     */
    public Enforcer(LivePolicy live, boolean monitor, DecisionListener listener, KnownServers servers) {
        this.live = live;
        this.monitor = monitor;
        this.listener = listener;
        this.servers = servers;
    }

    @Override
    public Object onServerCall(Object server, Object context, Object params) {
        SdkBridge sdk = null;
        try {
            servers.add(server);
            sdk = SdkBridges.of(server);
            ToolRequest request = SdkBridge.fromParams(params);
            return decide(new SdkChannel(sdk, Side.SERVER), request, Side.SERVER, sdk.sessionId(context));
        } catch (RuntimeException | LinkageError failure) {
            return failClosed(sdk == null ? null : new SdkChannel(sdk, Side.SERVER), Side.SERVER, failure);
        }
    }

    @Override
    public Object onClientCall(Object client, Object request) {
        SdkBridge sdk = null;
        try {
            sdk = SdkBridges.of(client);
            return decide(new SdkChannel(sdk, Side.CLIENT), sdk.fromRequest(request), Side.CLIENT, clientId(client));
        } catch (RuntimeException | LinkageError failure) {
            return failClosed(sdk == null ? null : new SdkChannel(sdk, Side.CLIENT), Side.CLIENT, failure);
        }
    }

    @Override
    public Object onDirectCall(Object client, Object request) {
        LangChain4jBridge bridge = null;
        try {
            bridge = LangChain4jBridge.of(client);
            return decide(new LangChain4jChannel(bridge), bridge.fromRequest(request), Side.CLIENT, clientId(client));
        } catch (RuntimeException | LinkageError failure) {
            return failClosed(bridge == null ? null : new LangChain4jChannel(bridge), Side.CLIENT, failure);
        }
    }

    @Override
    public void afterDirectCall(Object token, Object result, Throwable thrown) {
        if (token instanceof DirectSettlement settlement) {
            settlement.settle(result, thrown);
        }
    }

    private Object decide(CallChannel channel, ToolRequest request, Side side, String session) {
        long start = System.nanoTime();
        PolicyEngine engine = live.current();
        if (request.name() == null || request.malformed() != null) {
            String why = "call denied: " + (request.name() == null ? "the call names no tool" : request.malformed());
            record(start, side, request, session, "deny", MALFORMED_RULE, "malformed", why, engine);
            return deny(channel, why, side, request.name());
        }
        if (engine == null) {
            record(start, side, request, session, "allow", NO_POLICY_RULE, "", "", null);
            return null; // no policy in force and policylayer.fail=open
        }
        Decision decision = engine.decide(new ToolCall(request.name(), request.arguments(), side, session));
        record(start, side, request, session, decision.verdict().name().toLowerCase(Locale.ROOT), decision.rule(),
                decision.allowed() ? "" : reason(decision), decision.allowed() ? "" : decision.message(), engine);
        if (decision.allowed()) {
            if (decision.message().startsWith(Decision.UNCOUNTED_PREFIX)) {
                AgentLog.warnOnce("uncounted", "calls are let through uncounted: " + decision.message());
            }
            Reservation reservation = decision.reservation();
            return reservation == Reservation.NONE ? null : channel.hold(reservation);
        }
        if (monitor) {
            AgentLog.info("monitor: " + side.tag() + " call to tool \"" + request.name() + "\" would be "
                    + (decision.verdict() == Verdict.APPROVAL_REQUIRED ? "held for approval" : "denied")
                    + " by " + decision.rule());
            return null;
        }
        String prefix = decision.verdict() == Verdict.APPROVAL_REQUIRED ? APPROVAL : DENIED;
        return channel.deny(prefix + decision.message());
    }

    private Object deny(CallChannel channel, String message, Side side, String tool) {
        if (monitor) {
            AgentLog.info("monitor: " + side.tag() + " call to tool \"" + tool + "\" would be denied: " + message);
            return null;
        }
        return channel.deny(DENIED + message);
    }

    private void record(long start, Side side, ToolRequest request, String session, String verdict, String rule,
                        String reason, String message, PolicyEngine engine) {
        if (listener == DecisionListener.NONE) {
            return;
        }
        long latency = System.nanoTime() - start;
        try {
            boolean enforced = !monitor || verdict.equals("allow");
            String hash = engine == null || engine.policy() == null ? null : engine.policy().hash();
            listener.decided(new DecisionRecord(System.currentTimeMillis(), side.tag(), request.name(), verdict,
                    rule, reason, message, enforced, session, keys(request.arguments()), hash, latency));
        } catch (RuntimeException | LinkageError failure) {
            AgentLog.errorOnce("record-" + failure.getClass().getName(), "could not record a decision", failure);
        }
    }

    /** The sorted top-level keys, capped: a call with a million keys must not cost a million-key sort. */
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
            keys.add(key);
        }
        Collections.sort(keys);
        return keys;
    }

    /** What kind of rule denied the call: the last named part of its pointer, or the special rule itself. */
    static String reason(Decision decision) {
        if (decision.verdict() == Verdict.APPROVAL_REQUIRED) {
            return "approval";
        }
        String rule = decision.rule();
        if (rule.startsWith("policylayer.limit")) {
            return "limits"; // a limit set by property is named by its property
        }
        if (!rule.startsWith("/")) {
            return rule.replace("(", "").replace(")", "").replace(' ', '_');
        }
        // /tools/<name>/<kind>/... or /all_tools/<kind>/...: by position, as a tool name may be anything.
        String[] parts = rule.split("/", -1);
        int kind = parts.length > 1 && parts[1].equals("tools") ? 3 : 2;
        return parts.length > kind ? parts[kind] : "rule";
    }

    /** The agent could not read or decide the call: deny it, and say so once in the log. */
    private Object failClosed(CallChannel channel, Side side, Throwable failure) {
        AgentLog.errorOnce("call-" + side.tag() + "-" + failure.getClass().getName(), "could not decide a "
                + side.tag() + "-side tool call; denying it", failure);
        record(System.nanoTime(), side, new ToolRequest(null, Map.of(), null), null, "deny", AGENT_ERROR_RULE,
                "agent_error", "the policy agent could not check this call", null);
        if (monitor || channel == null) {
            return null; // nothing to build a denial with (or nothing to block): the call goes through
        }
        try {
            return channel.deny(DENIED + "the policy agent could not check this call, so it was denied ("
                    + failure.getClass().getSimpleName() + ")");
        } catch (RuntimeException | LinkageError alsoFailed) {
            AgentLog.errorOnce("deny-" + side.tag(), "could not build a denial for the SDK in use", alsoFailed);
            return null;
        }
    }

    @Override
    public Object afterCall(Object token, Object mono) {
        if (!(token instanceof Settlement settlement)) {
            return mono;
        }
        if (mono == null) {
            settlement.failed();
            return null;
        }
        try {
            return settlement.sdk().observe(mono, settlement);
        } catch (RuntimeException | LinkageError failure) {
            // Cannot watch the outcome: the quota stays spent, which errs on the safe side.
            settlement.succeeded();
            AgentLog.errorOnce("observe-" + failure.getClass().getName(), "could not watch a tool call's outcome;"
                    + " its quota stays spent", failure);
            return mono;
        }
    }

    @Override
    public void callFailed(Object token, Throwable thrown) {
        if (token instanceof Settlement settlement) {
            settlement.failed();
        }
    }

    @Override
    public Object filterList(Object listed, Object owner) {
        Predicate<String> visible = tool -> {
            PolicyEngine engine = live.current();
            return engine == null || !engine.isHidden(tool);
        };
        try {
            if (listed instanceof List<?> tools) {
                return LangChain4jBridge.of(owner).filterTools(tools, visible); // a framework client's own list
            }
            servers.add(owner);
            return SdkBridges.of(owner).filterTools(listed, visible);
        } catch (RuntimeException | LinkageError failure) {
            AgentLog.errorOnce("list-" + failure.getClass().getName(), "could not filter a tools/list result; hidden"
                    + " tools may be listed (calls to them are still denied)", failure);
            return listed;
        }
    }

    private String clientId(Object client) {
        synchronized (clientIds) {
            return clientIds.computeIfAbsent(client, c -> "client-" + nextClientId.incrementAndGet());
        }
    }
}
