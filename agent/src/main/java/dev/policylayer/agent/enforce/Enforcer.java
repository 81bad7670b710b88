package dev.policylayer.agent.enforce;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.sdk.SdkBridge;
import dev.policylayer.agent.sdk.SdkBridges;
import dev.policylayer.agent.sdk.ToolRequest;
import dev.policylayer.bootstrap.GateDelegate;
import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's side of every choke point: reads the call, asks the engine, and answers through the SDK's own
 * types. Fails closed: a call the agent cannot read or decide is denied with a message saying why. Each side
 * (client, server) decides and counts its own calls, so an app that is both counts a call once per side.
 */
public final class Enforcer implements GateDelegate {
    static final String DENIED = "[POLICY DENIED] ";
    static final String APPROVAL = "[APPROVAL REQUIRED] ";

    private final PolicyEngine engine;
    private final boolean monitor;
    private final Map<Object, String> clientIds = new WeakHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong();

    /**
     * @param engine  decides every call
     * @param monitor decide and log, but block nothing ({@code policylayer.mode=monitor})
     */
    public Enforcer(PolicyEngine engine, boolean monitor) {
        this.engine = engine;
        this.monitor = monitor;
    }

    @Override
    public Object onServerCall(Object server, Object context, Object params) {
        SdkBridge sdk = null;
        try {
            sdk = SdkBridges.of(server);
            ToolRequest request = SdkBridge.fromParams(params);
            return decide(sdk, request, Side.SERVER, sdk.sessionId(context));
        } catch (RuntimeException | LinkageError failure) {
            return failClosed(sdk, Side.SERVER, failure);
        }
    }

    @Override
    public Object onClientCall(Object client, Object request) {
        SdkBridge sdk = null;
        try {
            sdk = SdkBridges.of(client);
            return decide(sdk, sdk.fromRequest(request), Side.CLIENT, clientId(client));
        } catch (RuntimeException | LinkageError failure) {
            return failClosed(sdk, Side.CLIENT, failure);
        }
    }

    private Object decide(SdkBridge sdk, ToolRequest request, Side side, String session) {
        if (request.name() == null || request.malformed() != null) {
            String why = request.name() == null ? "the call names no tool" : request.malformed();
            return deny(sdk, "call denied: " + why, side, request.name());
        }
        Decision decision = engine.decide(new ToolCall(request.name(), request.arguments(), side, session));
        if (decision.allowed()) {
            Reservation reservation = decision.reservation();
            return reservation == Reservation.NONE ? null : new Settlement(reservation, sdk);
        }
        if (monitor) {
            AgentLog.info("monitor: " + side.tag() + " call to tool \"" + request.name() + "\" would be "
                    + (decision.verdict() == Verdict.APPROVAL_REQUIRED ? "held for approval" : "denied")
                    + " by " + decision.rule());
            return null;
        }
        String prefix = decision.verdict() == Verdict.APPROVAL_REQUIRED ? APPROVAL : DENIED;
        return answer(sdk, side, prefix + decision.message());
    }

    private Object deny(SdkBridge sdk, String message, Side side, String tool) {
        if (monitor) {
            AgentLog.info("monitor: " + side.tag() + " call to tool \"" + tool + "\" would be denied: " + message);
            return null;
        }
        return answer(sdk, side, DENIED + message);
    }

    /** The denial as the call's result: server side from where a tool would answer, client side at once. */
    private static Replacement answer(SdkBridge sdk, Side side, String text) {
        Object result = sdk.errorResult(text);
        return new Replacement(side == Side.SERVER ? sdk.monoFromWorker(result) : sdk.monoJust(result));
    }

    /** The agent could not read or decide the call: deny it, and say so once in the log. */
    private Object failClosed(SdkBridge sdk, Side side, Throwable failure) {
        AgentLog.errorOnce("call-" + side.tag() + "-" + failure.getClass().getName(), "could not decide a "
                + side.tag() + "-side tool call; denying it", failure);
        if (monitor || sdk == null) {
            return null; // nothing to build a denial with (or nothing to block): the call goes through
        }
        try {
            return answer(sdk, side, DENIED + "the policy agent could not check this call, so it was denied ("
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
    public Object filterList(Object mono, Object owner) {
        try {
            return SdkBridges.of(owner).filterTools(mono, tool -> !engine.isHidden(tool));
        } catch (RuntimeException | LinkageError failure) {
            AgentLog.errorOnce("list-" + failure.getClass().getName(), "could not filter a tools/list result; hidden"
                    + " tools may be listed (calls to them are still denied)", failure);
            return mono;
        }
    }

    private String clientId(Object client) {
        synchronized (clientIds) {
            return clientIds.computeIfAbsent(client, c -> "client-" + nextClientId.incrementAndGet());
        }
    }
}
