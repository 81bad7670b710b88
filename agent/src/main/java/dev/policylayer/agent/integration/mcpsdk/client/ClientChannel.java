package dev.policylayer.agent.integration.mcpsdk.client;

import static dev.policylayer.agent.integration.ReflectiveCalls.invoke;

import dev.policylayer.agent.gate.CallChannel;
import dev.policylayer.agent.gate.Later;
import dev.policylayer.agent.gate.Reinvocation;
import dev.policylayer.agent.gate.Settlement;
import dev.policylayer.agent.gate.ToolRequest;
import dev.policylayer.agent.integration.ClientIds;
import dev.policylayer.agent.integration.mcpsdk.SdkBridge;
import dev.policylayer.agent.integration.mcpsdk.SdkBridges;
import dev.policylayer.bootstrap.ToolCallRefused;
import dev.policylayer.engine.decision.SessionRef;
import dev.policylayer.engine.decision.Side;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/** {@code McpAsyncClient.callTool}: the call is a {@code CallToolRequest}, the answer a {@code Mono} of a result. */
final class ClientChannel implements CallChannel {
    private static final ClassValue<Method> CALL_TOOL = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Method method : type.getMethods()) {
                if (method.getName().equals("callTool") && method.getParameterCount() == 1
                        && method.getParameterTypes()[0].getName().endsWith("McpSchema$CallToolRequest")) {
                    return method;
                }
            }
            return null;
        }
    };

    @Override
    public Side side() {
        return Side.CLIENT;
    }

    @Override
    public ToolRequest read(Object client, Object[] arguments) {
        return SdkBridges.of(client).fromRequest(arguments[0]).in(SessionRef.of(ClientIds.of(client)));
    }

    @Override
    public Object denial(Object client, String text) {
        SdkBridge sdk = SdkBridges.of(client);
        return sdk.monoJust(sdk.errorResult(text));
    }

    @Override
    public Object refusal(Object client, String text) {
        return SdkBridges.of(client).monoError(new ToolCallRefused(text));
    }

    @Override
    public Object settleOnOutcome(Object client, Object returned, Settlement settlement) {
        return SdkBridges.of(client).observe(returned, settlement);
    }

    @Override
    public Object filterList(Object client, Object returned, Predicate<String> visible) {
        return SdkBridges.of(client).filterTools(returned, visible);
    }

    @Override
    public Object later(Object client, Object[] arguments, CompletionStage<Later> outcome) {
        if (CALL_TOOL.get(client.getClass()) == null) {
            return null;
        }
        SdkBridge sdk = SdkBridges.of(client);
        Function<Object, Object> next = decided -> {
            Later later = (Later) decided;
            return later.denied() ? sdk.monoJust(sdk.errorResult(later.denial()))
                    : Reinvocation.run(later.settlement(), () -> reinvoke(client, arguments));
        };
        return sdk.fromStage(outcome, next);
    }

    @Override
    public Object reinvoke(Object client, Object[] arguments) {
        return invoke(CALL_TOOL.get(client.getClass()), client, arguments);
    }
}
