package dev.policylayer.agent.integration.mcpsdk;

import static dev.policylayer.agent.integration.ReflectiveCalls.construct;
import static dev.policylayer.agent.integration.ReflectiveCalls.invoke;
import static dev.policylayer.agent.integration.ReflectiveCalls.method;
import static dev.policylayer.agent.integration.ReflectiveCalls.optionalConstructor;
import static dev.policylayer.agent.integration.ReflectiveCalls.optionalMethod;

import dev.policylayer.agent.gate.Settlement;
import dev.policylayer.agent.gate.ToolRequest;
import dev.policylayer.agent.integration.ReflectiveCalls;
import dev.policylayer.agent.integration.UnknownShapeException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything the agent does to MCP Java SDK and Reactor objects, server and client side alike, by reflection
 * through the SDK's own class loader: the agent must never link against the SDK, Reactor or Jackson, whose
 * versions are the app's. One bridge per SDK class loader ({@link SdkBridges}); members are looked up once.
 *
 * <p>Version differences handled here: {@code CallToolResult.builder()} exists from 0.9 (before it, the
 * {@code (List<Content>, Boolean)} constructor); {@code ListToolsResult} gained {@code _meta} in 0.11.
 */
public final class SdkBridge {
    static final String SCHEMA = "io.modelcontextprotocol.spec.McpSchema$";

    private final ClassLoader loader;
    private volatile Reactor reactor;
    private volatile Results results;
    private volatile Lists lists;
    private volatile Requests requests;

    SdkBridge(ClassLoader loader) {
        this.loader = loader;
    }

    // ---- reading calls

    /** Reads a client-side {@code CallToolRequest}. */
    public ToolRequest fromRequest(Object request) {
        Requests r = requests();
        Object name = invoke(r.name, request);
        return ToolRequest.withArguments(name instanceof String s ? s : null, invoke(r.arguments, request));
    }

    // ---- building results

    /** A {@code CallToolResult} with {@code isError: true} and one text content. */
    public Object errorResult(String text) {
        Results r = results();
        if (r.builder != null) {
            Object builder = invoke(r.builder, null);
            invoke(r.addTextContent, builder, text);
            invoke(r.builderIsError, builder, Boolean.TRUE);
            return invoke(r.build, builder);
        }
        Object content = construct(r.textContent, text);
        return construct(r.listAndError, List.of(content), Boolean.TRUE);
    }

    /** Whether a tool's result is a {@code CallToolResult} with {@code isError: true}. */
    public boolean isErrorResult(Object result) {
        if (result == null) {
            return false;
        }
        Results r = results();
        return r.type.isInstance(result) && Boolean.TRUE.equals(invoke(r.isError, result));
    }

    // ---- Reactor

    public Object monoJust(Object value) {
        return invoke(reactor().just, null, value);
    }

    /** A {@code Mono} that fails with {@code error}: the SDK answers it with a JSON-RPC error. */
    public Object monoError(Throwable error) {
        return invoke(reactor().error, null, error);
    }

    /**
     * {@code mono} subscribed on Reactor's bounded-elastic scheduler, where the SDK runs a synchronous tool. A
     * server answering on the transport's inbound thread (as a bare {@code Mono.just} would) can collide with the
     * previous response still being written from another thread: several SDK releases then fail that emission
     * ("Failed to enqueue message") and the stdio session dies. Answering from where a tool would answer keeps the
     * SDK's own threading.
     */
    public Object onWorker(Object mono) {
        Reactor r = reactor();
        return invoke(r.subscribeOn, mono, invoke(r.boundedElastic, null));
    }

    /** The mono with {@code settlement} told how it ended (success, isError result, error or cancel). */
    public Object observe(Object mono, Settlement settlement) {
        Reactor r = reactor();
        Consumer<Object> onSuccess = result -> {
            if (isErrorResult(result)) {
                settlement.errorResult();
            } else {
                settlement.succeeded();
            }
        };
        Consumer<Throwable> onError = error -> settlement.failed();
        Runnable onCancel = settlement::failed;
        Object observed = invoke(r.doOnSuccess, mono, onSuccess);
        observed = invoke(r.doOnError, observed, onError);
        return invoke(r.doOnCancel, observed, onCancel);
    }

    /** The mono with {@code after} run once it has terminated or been cancelled (and its signal passed on). */
    public Object doFinally(Object mono, Runnable after) {
        Consumer<Object> signal = ignored -> after.run();
        return invoke(reactor().doFinally, mono, signal);
    }

    /**
     * A mono of {@code stage}'s value, mapped by {@code next} to the mono to emit. {@code next} runs on Reactor's
     * bounded-elastic pool, never on the thread that completed the stage (the agent's few Redis or approval threads):
     * a server with {@code immediateExecution} runs its tool right there, and one slow tool would hold up every
     * decision waiting behind it.
     */
    public Object fromStage(CompletionStage<?> stage, Function<Object, Object> next) {
        Reactor r = reactor();
        Object decided = invoke(r.publishOn, invoke(r.fromCompletionStage, null, stage), invoke(r.boundedElastic,
                null));
        return invoke(r.flatMap, decided, next);
    }

    /** Subscribes to {@code mono} (fire and forget), with failures to {@code onError}. */
    public void subscribe(Object mono, Consumer<Throwable> onError) {
        Consumer<Object> ignore = done -> { };
        invoke(reactor().subscribe, mono, ignore, onError);
    }

    /** The value {@code mono} emits (null when it completes empty), as a stage; subscribes to it. */
    @SuppressWarnings("unchecked")
    public CompletionStage<Object> toStage(Object mono) {
        return (CompletionStage<Object>) invoke(reactor().toFuture, mono);
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
        if (l.withMeta != null) {
            return construct(l.withMeta, kept, cursor, invoke(l.meta, result));
        }
        return construct(l.plain, kept, cursor);
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
        return ReflectiveCalls.type(name, loader);
    }

    private static final class Reactor {
        final Method just;
        final Method error;
        final Method map;
        final Method flatMap;
        final Method fromCompletionStage;
        final Method doOnSuccess;
        final Method doOnError;
        final Method doOnCancel;
        final Method doFinally;
        final Method subscribeOn;
        final Method publishOn;
        final Method boundedElastic;
        final Method subscribe;
        final Method toFuture;

        Reactor(Class<?> mono) {
            toFuture = method(mono, "toFuture");
            subscribe = method(mono, "subscribe", Consumer.class, Consumer.class);
            just = method(mono, "just", Object.class);
            error = method(mono, "error", Throwable.class);
            map = method(mono, "map", Function.class);
            flatMap = method(mono, "flatMap", Function.class);
            fromCompletionStage = method(mono, "fromCompletionStage", CompletionStage.class);
            doOnSuccess = method(mono, "doOnSuccess", Consumer.class);
            doOnError = method(mono, "doOnError", Consumer.class);
            doOnCancel = method(mono, "doOnCancel", Runnable.class);
            doFinally = method(mono, "doFinally", Consumer.class);
            ClassLoader reactorLoader = mono.getClassLoader();
            subscribeOn = method(mono, "subscribeOn", ReflectiveCalls.type("reactor.core.scheduler.Scheduler",
                    reactorLoader));
            publishOn = method(mono, "publishOn", ReflectiveCalls.type("reactor.core.scheduler.Scheduler",
                    reactorLoader));
            boundedElastic = method(ReflectiveCalls.type("reactor.core.scheduler.Schedulers", reactorLoader),
                    "boundedElastic");
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
                textContent = optionalConstructor(ReflectiveCalls.type(SCHEMA + "TextContent", loader), String.class);
                listAndError = optionalConstructor(type, List.class, Boolean.class);
                if (textContent == null || listAndError == null) {
                    throw new UnknownShapeException("CallToolResult has neither builder() nor (List, Boolean)", null);
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
                throw new UnknownShapeException("ListToolsResult has no (List, String) constructor", null);
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
