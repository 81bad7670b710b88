package dev.policylayer.agent.integration.mcpsdk.server;

import static dev.policylayer.agent.integration.ReflectiveCalls.construct;
import static dev.policylayer.agent.integration.ReflectiveCalls.invoke;
import static dev.policylayer.agent.integration.ReflectiveCalls.method;
import static dev.policylayer.agent.integration.ReflectiveCalls.optionalConstructor;

import dev.policylayer.agent.gate.AskAnswer;
import dev.policylayer.agent.integration.ReflectiveCalls;
import dev.policylayer.agent.integration.UnknownShapeException;
import dev.policylayer.agent.integration.mcpsdk.SdkBridge;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What a server may say to the client a call came from while the call waits: ask its user
 * ({@code elicitation/create}, on the call's exchange, SDK 0.11 and later, when the client declared the capability)
 * and tell it the call is still alive (a progress notification, where the request carries a progress token). The
 * stateless server's context is no exchange: it can do neither.
 */
final class ClientQuestions {
    private static final String SCHEMA = "io.modelcontextprotocol.spec.McpSchema$";
    /** The one field the user fills in: whether the call may run. */
    static final String ANSWER_FIELD = "approve";
    private static final Map<String, Object> ANSWER_SCHEMA = Map.of("type", "object",
            "properties", Map.of(ANSWER_FIELD, Map.of("type", "boolean", "title", "Run this tool call",
                    "description", "Approve this one call with exactly these arguments")),
            "required", java.util.List.of(ANSWER_FIELD));

    private ClientQuestions() {
    }

    /** Whether {@code exchange} is a server exchange whose client declared the elicitation capability. */
    static boolean canAsk(Object exchange) {
        if (exchange == null) {
            return false;
        }
        Method capabilities = ReflectiveCalls.optionalMethod(exchange.getClass(), "getClientCapabilities");
        if (capabilities == null
                || ReflectiveCalls.optionalMethod(exchange.getClass(), "createElicitation", elicitRequest(exchange))
                == null) {
            return false;
        }
        Object declared = invoke(capabilities, exchange);
        if (declared == null) {
            return false;
        }
        Method elicitation = ReflectiveCalls.optionalMethod(declared.getClass(), "elicitation");
        return elicitation != null && invoke(elicitation, declared) != null;
    }

    /** Asks the user at {@code exchange}'s client {@code question}; the stage completes with what they answered. */
    static CompletionStage<AskAnswer> ask(SdkBridge sdk, Object exchange, String question) {
        Class<?> requestType = elicitRequest(exchange);
        Object request = construct(formRequest(exchange, requestType), question, ANSWER_SCHEMA, null);
        Object answer = invoke(method(exchange.getClass(), "createElicitation", requestType), exchange, request);
        return sdk.toStage(answer).thenApply(ClientQuestions::answer);
    }

    /** A progress notification on {@code exchange}, when {@code params} carry a progress token; fire and forget. */
    static void progress(SdkBridge sdk, Object exchange, Object params, String message) {
        Object token = progressToken(params);
        if (exchange == null || token == null) {
            return;
        }
        ClassLoader loader = exchange.getClass().getClassLoader();
        Class<?> type = ReflectiveCalls.type(SCHEMA + "ProgressNotification", loader);
        for (Constructor<?> constructor : type.getConstructors()) {
            Class<?>[] parameters = constructor.getParameterTypes();
            if (parameters.length == 4 && parameters[1] == double.class) {
                // the token was a String before 1.0, any JSON value since
                Object notification = construct(constructor, parameters[0] == String.class ? String.valueOf(token)
                        : token, 0.0d, null, message);
                Object sent = invoke(method(exchange.getClass(), "progressNotification", type), exchange,
                        notification);
                sdk.subscribe(sent, failed -> { });
                return;
            }
        }
        throw new UnknownShapeException("no ProgressNotification(token, progress, total, message) in this SDK", null);
    }

    private static Object progressToken(Object params) {
        if (params instanceof Map<?, ?> map && map.get("_meta") instanceof Map<?, ?> meta) {
            return meta.get("progressToken");
        }
        return null;
    }

    private static AskAnswer answer(Object result) {
        if (result == null) {
            return AskAnswer.CANCELLED;
        }
        Object action = invoke(method(result.getClass(), "action"), result);
        String said = action == null ? "" : ((Enum<?>) action).name();
        if ("ACCEPT".equals(said)) {
            Object content = invoke(method(result.getClass(), "content"), result);
            return content instanceof Map<?, ?> fields && Boolean.TRUE.equals(fields.get(ANSWER_FIELD))
                    ? AskAnswer.ACCEPTED : AskAnswer.DECLINED;
        }
        return "DECLINE".equals(said) ? AskAnswer.DECLINED : AskAnswer.CANCELLED;
    }

    /** The request type {@code createElicitation} takes: a record before 2.0, an interface since. */
    private static Class<?> elicitRequest(Object exchange) {
        return ReflectiveCalls.type(SCHEMA + "ElicitRequest", exchange.getClass().getClassLoader());
    }

    /** The form request's (message, requestedSchema, meta) constructor: {@code ElicitFormRequest} from 2.0. */
    private static Constructor<?> formRequest(Object exchange, Class<?> requestType) {
        Constructor<?> constructor;
        if (requestType.isInterface()) {
            Class<?> form = ReflectiveCalls.type(SCHEMA + "ElicitFormRequest", exchange.getClass().getClassLoader());
            constructor = optionalConstructor(form, String.class, Map.class, Map.class);
        } else {
            constructor = optionalConstructor(requestType, String.class, Map.class, Map.class);
        }
        if (constructor == null) {
            throw new UnknownShapeException("no elicitation request (message, schema, meta) in this SDK", null);
        }
        return constructor;
    }
}
