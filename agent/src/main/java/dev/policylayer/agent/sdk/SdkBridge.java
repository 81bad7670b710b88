package dev.policylayer.agent.sdk;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything the agent does to MCP SDK and Reactor objects, by reflection through the SDK's own class loader:
 * the agent is shaded and must never link against the SDK, Reactor or Jackson, whose versions are the app's.
 * One bridge per SDK class loader ({@link SdkBridges}); members are looked up once, on first use.
 *
 * <p>Version differences handled here: {@code CallToolResult.builder()} exists from 0.9 (before it, the
 * {@code (List<Content>, Boolean)} constructor); {@code ListToolsResult} gained {@code _meta} in 0.11; the
 * exchange's {@code sessionId()} exists from 0.11 (before it, its private {@code session} field's id).
 */
public final class SdkBridge {
    private static final String SCHEMA = "io.modelcontextprotocol.spec.McpSchema$";

    private final ClassLoader loader;
    private volatile Reactor reactor;
    private volatile Results results;
    private volatile Lists lists;
    private volatile Requests requests;

    SdkBridge(ClassLoader loader) {
        this.loader = loader;
    }

    // ---- reading calls

    /** Reads the raw JSON-RPC params of a server-side tools/call ({@code name}, {@code arguments}). */
    public static ToolRequest fromParams(Object params) {
        if (!(params instanceof Map<?, ?> map)) {
            return new ToolRequest(null, Map.of(), "the tools/call params are not an object");
        }
        Object name = map.get("name");
        return withArguments(name instanceof String s ? s : null, map.get("arguments"));
    }

    /** Reads a client-side {@code CallToolRequest}. */
    public ToolRequest fromRequest(Object request) {
        Requests r = requests();
        Object name = invoke(r.name, request);
        return withArguments(name instanceof String s ? s : null, invoke(r.arguments, request));
    }

    @SuppressWarnings("unchecked")
    private static ToolRequest withArguments(String name, Object arguments) {
        if (arguments == null) {
            return new ToolRequest(name, Map.of(), null);
        }
        if (arguments instanceof Map<?, ?> map) {
            return new ToolRequest(name, (Map<String, Object>) map, null);
        }
        return new ToolRequest(name, Map.of(), "the tool's arguments are not an object");
    }

    /**
     * The MCP session of a server-side call: the exchange's {@code sessionId()} (0.11+), or the id of its
     * private session (0.8 to 0.10); null for a stateless server's transport context or an unknown shape.
     */
    public String sessionId(Object context) {
        if (context == null) {
            return null;
        }
        try {
            Object id = SessionIds.FOR_CONTEXT.get(context.getClass()).read(context);
            return id == null ? null : id.toString();
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return null; // the caller falls back to the grant
        }
    }

    // ---- building results

    /** A {@code CallToolResult} with {@code isError: true} and one text content. */
    public Object errorResult(String text) {
        Results r = results();
        try {
            if (r.builder != null) {
                Object builder = r.builder.invoke(null);
                r.addTextContent.invoke(builder, text);
                r.builderIsError.invoke(builder, Boolean.TRUE);
                return r.build.invoke(builder);
            }
            Object content = r.textContent.newInstance(text);
            return r.listAndError.newInstance(List.of(content), Boolean.TRUE);
        } catch (InvocationTargetException | InstantiationException | IllegalAccessException failed) {
            throw new SdkBridgeException("could not build a CallToolResult", failed);
        }
    }

    /** Whether a tool's result is a {@code CallToolResult} with {@code isError: true}. */
    public boolean isErrorResult(Object result) {
        if (result == null) {
            return false;
        }
        Results r = results();
        if (!r.type.isInstance(result)) {
            return false;
        }
        return Boolean.TRUE.equals(invoke(r.isError, result));
    }

    // ---- Reactor

    public Object monoJust(Object value) {
        return invoke(reactor().just, null, value);
    }

    /**
     * A {@code Mono} of {@code value} that emits on Reactor's bounded-elastic scheduler, where the SDK runs a
     * synchronous tool. A server answering on the transport's inbound thread (as a bare {@code Mono.just}
     * would) can collide with the previous response still being written from another thread: several SDK
     * releases then fail that emission ("Failed to enqueue message") and the stdio session dies. Answering
     * from where a tool would answer keeps the SDK's own threading.
     */
    public Object monoFromWorker(Object value) {
        Reactor r = reactor();
        return invoke(r.subscribeOn, invoke(r.just, null, value), invoke(r.boundedElastic, null));
    }

    /** The mono with {@code listener} told how it ended (success, isError result, error or cancel). */
    public Object observe(Object mono, OutcomeListener listener) {
        Reactor r = reactor();
        Consumer<Object> onSuccess = result -> {
            if (isErrorResult(result)) {
                listener.errorResult();
            } else {
                listener.succeeded();
            }
        };
        Consumer<Throwable> onError = error -> listener.failed();
        Runnable onCancel = listener::failed;
        Object observed = invoke(r.doOnSuccess, mono, onSuccess);
        observed = invoke(r.doOnError, observed, onError);
        return invoke(r.doOnCancel, observed, onCancel);
    }

    /**
     * Tells the clients of {@code server} that its tool list changed, so they list again (the hide list
     * changed). Fire and forget: a server with no session, or one that cannot notify (the stateless server),
     * is skipped. Returns whether a notification was sent off.
     */
    public boolean notifyToolsListChanged(Object server, Consumer<Throwable> onError) {
        // Looked up on the first public class up the hierarchy: 0.8's AsyncServerImpl is package-private, and
        // a method found on it could not be invoked from here (the call still dispatches to the subclass).
        Class<?> visible = server.getClass();
        while (visible != null && !Modifier.isPublic(visible.getModifiers())) {
            visible = visible.getSuperclass();
        }
        Method notify = visible == null ? null : optionalMethod(visible, "notifyToolsListChanged");
        if (notify == null) {
            return false;
        }
        Object mono = invoke(notify, server);
        if (mono == null) {
            return false;
        }
        Consumer<Object> ignore = done -> { };
        invoke(reactor().subscribe, mono, ignore, onError);
        return true;
    }

    /** The {@code Mono<ListToolsResult>} with the tools {@code visible} refuses removed. */
    public Object filterTools(Object mono, Predicate<String> visible) {
        Function<Object, Object> filter = result -> filtered(result, visible);
        return invoke(reactor().map, mono, filter);
    }

    private Object filtered(Object result, Predicate<String> visible) {
        Lists l = lists();
        if (!l.type.isInstance(result)) {
            return result;
        }
        List<?> tools = (List<?>) invoke(l.tools, result);
        if (tools == null) {
            return result;
        }
        List<Object> kept = new ArrayList<>(tools.size());
        for (Object tool : tools) {
            Object name = invoke(l.toolName, tool);
            if (!(name instanceof String n) || visible.test(n)) {
                kept.add(tool);
            }
        }
        if (kept.size() == tools.size()) {
            return result;
        }
        Object cursor = invoke(l.nextCursor, result);
        try {
            if (l.withMeta != null) {
                return l.withMeta.newInstance(kept, cursor, invoke(l.meta, result));
            }
            return l.plain.newInstance(kept, cursor);
        } catch (InvocationTargetException | InstantiationException | IllegalAccessException failed) {
            throw new SdkBridgeException("could not rebuild a ListToolsResult", failed);
        }
    }

    // ---- lookups, once per class loader

    private Reactor reactor() {
        Reactor r = reactor;
        if (r == null) {
            reactor = r = new Reactor(type("reactor.core.publisher.Mono"));
        }
        return r;
    }

    private Results results() {
        Results r = results;
        if (r == null) {
            results = r = new Results(type(SCHEMA + "CallToolResult"), loader);
        }
        return r;
    }

    private Lists lists() {
        Lists l = lists;
        if (l == null) {
            lists = l = new Lists(type(SCHEMA + "ListToolsResult"), type(SCHEMA + "Tool"));
        }
        return l;
    }

    private Requests requests() {
        Requests r = requests;
        if (r == null) {
            requests = r = new Requests(type(SCHEMA + "CallToolRequest"));
        }
        return r;
    }

    private Class<?> type(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError missing) {
            throw new SdkBridgeException(name + " is not visible from the MCP SDK's class loader", missing);
        }
    }

    static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime; // the SDK's own failure (say, a validation error): not the bridge's
            }
            throw new SdkBridgeException("calling " + method.getName() + " failed", cause);
        } catch (IllegalAccessException | IllegalArgumentException wrongShape) {
            throw new SdkBridgeException("calling " + method.getName() + " is not possible", wrongShape);
        }
    }

    static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException missing) {
            throw new SdkBridgeException(type.getName() + "." + name + " not found", missing);
        }
    }

    static Method optionalMethod(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException missing) {
            return null;
        }
    }

    static Constructor<?> optionalConstructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException missing) {
            return null;
        }
    }

    private static final class Reactor {
        final Method just;
        final Method map;
        final Method doOnSuccess;
        final Method doOnError;
        final Method doOnCancel;
        final Method subscribeOn;
        final Method boundedElastic;
        final Method subscribe;

        Reactor(Class<?> mono) {
            subscribe = method(mono, "subscribe", Consumer.class, Consumer.class);
            just = method(mono, "just", Object.class);
            map = method(mono, "map", Function.class);
            doOnSuccess = method(mono, "doOnSuccess", Consumer.class);
            doOnError = method(mono, "doOnError", Consumer.class);
            doOnCancel = method(mono, "doOnCancel", Runnable.class);
            try {
                Class<?> scheduler = Class.forName("reactor.core.scheduler.Scheduler", false, mono.getClassLoader());
                subscribeOn = method(mono, "subscribeOn", scheduler);
                boundedElastic = method(Class.forName("reactor.core.scheduler.Schedulers", false,
                        mono.getClassLoader()), "boundedElastic");
            } catch (ClassNotFoundException missing) {
                throw new SdkBridgeException("Reactor's schedulers are not visible beside Mono", missing);
            }
        }
    }

    private static final class Results {
        final Class<?> type;
        final Method isError;
        final Method builder;
        final Method addTextContent;
        final Method builderIsError;
        final Method build;
        final Constructor<?> textContent;
        final Constructor<?> listAndError;

        Results(Class<?> type, ClassLoader loader) {
            this.type = type;
            isError = method(type, "isError");
            builder = optionalMethod(type, "builder");
            if (builder != null) {
                Class<?> builderType = builder.getReturnType();
                addTextContent = method(builderType, "addTextContent", String.class);
                builderIsError = method(builderType, "isError", Boolean.class);
                build = method(builderType, "build");
                textContent = null;
                listAndError = null;
            } else {
                addTextContent = null;
                builderIsError = null;
                build = null;
                try {
                    textContent = Class.forName(SCHEMA + "TextContent", false, loader).getConstructor(String.class);
                } catch (ReflectiveOperationException missing) {
                    throw new SdkBridgeException("McpSchema.TextContent(String) not found", missing);
                }
                listAndError = optionalConstructor(type, List.class, Boolean.class);
                if (listAndError == null) {
                    throw new SdkBridgeException("CallToolResult has neither builder() nor (List, Boolean)", null);
                }
            }
        }
    }

    private static final class Lists {
        final Class<?> type;
        final Method tools;
        final Method nextCursor;
        final Method meta;
        final Method toolName;
        final Constructor<?> withMeta;
        final Constructor<?> plain;

        Lists(Class<?> type, Class<?> tool) {
            this.type = type;
            tools = method(type, "tools");
            nextCursor = method(type, "nextCursor");
            toolName = method(tool, "name");
            Method metaAccessor = optionalMethod(type, "meta");
            Constructor<?> metaConstructor = optionalConstructor(type, List.class, String.class, Map.class);
            meta = metaConstructor != null ? metaAccessor : null;
            withMeta = metaAccessor != null ? metaConstructor : null;
            plain = optionalConstructor(type, List.class, String.class);
            if (withMeta == null && plain == null) {
                throw new SdkBridgeException("ListToolsResult has no (List, String) constructor", null);
            }
        }
    }

    private static final class Requests {
        final Method name;
        final Method arguments;

        Requests(Class<?> type) {
            name = method(type, "name");
            arguments = method(type, "arguments");
        }
    }
}
