package dev.policylayer.agent.integration.mcpsdk.server;

import dev.policylayer.agent.gate.AskAnswer;
import dev.policylayer.agent.gate.CallChannel;
import dev.policylayer.agent.gate.Later;
import dev.policylayer.agent.gate.Reinvocation;
import dev.policylayer.agent.gate.Settlement;
import dev.policylayer.agent.gate.ToolRequest;
import dev.policylayer.agent.integration.UnknownShapeException;
import dev.policylayer.agent.integration.mcpsdk.SdkBridge;
import dev.policylayer.agent.integration.mcpsdk.SdkBridges;
import dev.policylayer.bootstrap.ToolCallRefused;
import dev.policylayer.engine.decision.Side;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The server handler lambdas of one SDK class: the call's params are its last argument, the exchange (or the
 * stateless server's transport context) its first; answers are {@code Mono}s of a {@code CallToolResult}. Every
 * call and list is counted in flight for its server ({@link ListChanged}).
 */
final class ServerChannel implements CallChannel {
    private final ListChanged listChanged;

    ServerChannel(ListChanged listChanged) {
        this.listChanged = listChanged;
    }

    @Override
    public Side side() {
        return Side.SERVER;
    }

    @Override
    public ToolRequest read(Object server, Object[] arguments) {
        if (arguments == null || arguments.length == 0) {
            return new ToolRequest(null, null, null, "the tools/call handler was called without params");
        }
        Object context = arguments.length > 1 ? arguments[0] : null;
        return ToolRequest.fromParams(arguments[arguments.length - 1]).in(SessionIds.of(context));
    }

    /** Answered from the worker pool, where a tool would answer (see {@link SdkBridge#onWorker}). */
    @Override
    public Object denial(Object server, String text) {
        SdkBridge sdk = SdkBridges.of(server);
        return inFlight(server, sdk, sdk.onWorker(sdk.monoJust(sdk.errorResult(text))));
    }

    /** An error signal: the SDK answers it with a JSON-RPC error that carries the text. */
    @Override
    public Object refusal(Object server, String text) {
        SdkBridge sdk = SdkBridges.of(server);
        return sdk.onWorker(sdk.monoError(new ToolCallRefused(text)));
    }

    @Override
    public boolean watchesEveryCall() {
        return true;
    }

    @Override
    public Object settleOnOutcome(Object server, Object returned, Settlement settlement) {
        SdkBridge sdk = SdkBridges.of(server);
        Object watched = settlement.holdsQuota() ? sdk.observe(returned, settlement) : returned;
        return inFlight(server, sdk, watched);
    }

    @Override
    public Object filterList(Object server, Object returned, Predicate<String> visible) {
        SdkBridge sdk = SdkBridges.of(server);
        return inFlight(server, sdk, sdk.filterTools(returned, visible));
    }

    @Override
    public Object later(Object server, Object[] arguments, CompletionStage<Later> outcome) {
        if (HANDLERS.get(server.getClass()) == null) {
            return null; // the handler cannot be run again from here: the gate waits instead
        }
        SdkBridge sdk = SdkBridges.of(server);
        Function<Object, Object> next = decided -> {
            Later later = (Later) decided;
            if (later.denied()) {
                return sdk.monoJust(sdk.errorResult(later.denial()));
            }
            return Reinvocation.run(later.settlement(), () -> reinvoke(server, arguments));
        };
        return inFlight(server, sdk, sdk.fromStage(outcome, next));
    }

    @Override
    public boolean canDefer(Object server) {
        return HANDLERS.get(server.getClass()) != null;
    }

    /** The exchange is the handler's first argument; the stateless server's context cannot ask. */
    @Override
    public boolean canAsk(Object server, Object[] arguments) {
        return arguments != null && arguments.length > 1 && ClientQuestions.canAsk(arguments[0]);
    }

    @Override
    public CompletionStage<AskAnswer> ask(Object server, Object[] arguments, String question) {
        return ClientQuestions.ask(SdkBridges.of(server), arguments[0], question);
    }

    @Override
    public void progress(Object server, Object[] arguments, String message) {
        if (arguments != null && arguments.length > 1) {
            ClientQuestions.progress(SdkBridges.of(server), arguments[0], arguments[arguments.length - 1], message);
        }
    }

    @Override
    public Object reinvoke(Object server, Object[] arguments) {
        Method handler = HANDLERS.get(server.getClass());
        try {
            return handler.invoke(server, arguments);
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new UnknownShapeException("the tools/call"
                    + " handler failed", cause);
        } catch (IllegalAccessException wrongShape) {
            throw new UnknownShapeException("the tools/call handler cannot be called", wrongShape);
        }
    }

    /** Counts the call in flight on its server until its answer has gone out. */
    private Object inFlight(Object server, SdkBridge sdk, Object mono) {
        ListChanged.Server state = listChanged.of(server);
        state.callStarted();
        try {
            return sdk.doFinally(mono, state::callEnded);
        } catch (RuntimeException | LinkageError failure) {
            state.callEnded();
            throw failure;
        }
    }

    /** The tools/call handler lambda of each server class, made callable for calls decided later; null if not. */
    private static final ClassValue<Method> HANDLERS = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().startsWith(McpSdkServer.CALL_LAMBDA) && !Modifier.isStatic(method.getModifiers())
                        && method.getParameterCount() >= 1 && method.getParameterCount() <= 2) {
                    try {
                        method.setAccessible(true);
                        return method;
                    } catch (RuntimeException closedModule) {
                        return null;
                    }
                }
            }
            return null;
        }
    };
}
