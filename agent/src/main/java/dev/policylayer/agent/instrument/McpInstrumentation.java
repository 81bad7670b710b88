package dev.policylayer.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;

import dev.policylayer.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the advice at the MCP SDK's choke points ({@link ChokePoints}), on classes loaded later and, for a
 * late attach, on classes already loaded (retransformation; the advice changes method bodies only). Says per
 * class loader what it instrumented, and warns loudly when an SDK class holds none of the expected methods.
 */
public final class McpInstrumentation {
    /** What was instrumented so far, for the metrics: side, class and class loader. */
    private static final List<String> INSTRUMENTED = new CopyOnWriteArrayList<>();

    /** The choke points instrumented so far, one line each. */
    public static List<String> instrumented() {
        return List.copyOf(INSTRUMENTED);
    }


    private McpInstrumentation() {
    }

    /** For a late attach: installs now and retransforms the SDK classes already loaded. */
    public static void installNow(Instrumentation instrumentation) {
        builder().with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION).installOn(instrumentation);
    }

    /**
     * For premain: the transformer, not installed, so that building it (Byte Buddy's own start-up is the
     * agent's largest cost) can happen off the application's start-up path; {@link SdkClassWatcher} hands it
     * the SDK classes.
     */
    public static ClassFileTransformer transformer() {
        return builder().makeRaw();
    }

    private static AgentBuilder builder() {
        // ByteBuddy's default ignores synthetic methods: the server choke points are synthetic lambdas, so only
        // finalizers may be ignored, or the advice would silently never apply.
        // Advice only inlines into existing method bodies, so Byte Buddy's type validation (a cost paid on the
        // application's thread as each SDK class loads) has nothing to check.
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED).ignore(isDefaultFinalizer()))
                .disableClassFormatChanges()
                .with(new Failures())
                .type(ChokePoints.SERVERS)
                .transform(new Instrument("server", "tools/call", List.of(ChokePoints.SERVER_CALL),
                        ServerCallAdvice.class, "tools/list", ChokePoints.SERVER_LIST))
                .type(ChokePoints.CLIENTS)
                .transform(new Instrument("client", "tools/call", List.of(ChokePoints.CLIENT_CALL),
                        ClientCallAdvice.class, "tools/list", ChokePoints.CLIENT_LIST))
                .type(ChokePoints.LANGCHAIN4J_CLIENTS)
                .transform(new Instrument("LangChain4j client", "executeTool", ChokePoints.LANGCHAIN4J_CALL,
                        DirectCallAdvice.class, "listTools", ChokePoints.LANGCHAIN4J_LIST));
    }

    /**
     * Applies the call and list advice to one SDK class and reports what it found. The call advice goes on the
     * first of {@code calls} the class declares (the leaf overload, where a library has several).
     */
    private static final class Instrument implements AgentBuilder.Transformer {
        private final String side;
        private final String callName;
        private final List<? extends ElementMatcher<? super MethodDescription>> calls;
        private final String listName;
        private final ElementMatcher<? super MethodDescription> list;
        /** Built once, when the agent starts (reading the advice's bytecode is not free). */
        private final List<AsmVisitorWrapper> callVisitors;
        private final AsmVisitorWrapper listVisitor;

        Instrument(String side, String callName, List<? extends ElementMatcher<? super MethodDescription>> calls,
                   Class<?> callAdvice, String listName, ElementMatcher<? super MethodDescription> list) {
            this.side = side;
            this.callName = callName;
            this.calls = calls;
            this.listName = listName;
            this.list = list;
            Advice advice = Advice.to(callAdvice);
            this.callVisitors = calls.stream().map(call -> (AsmVisitorWrapper) advice.on(call)).toList();
            this.listVisitor = Advice.to(ListAdvice.class).on(list);
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module,
                                                ProtectionDomain protectionDomain) {
            int chosen = 0;
            while (chosen < calls.size() - 1 && type.getDeclaredMethods().filter(calls.get(chosen)).isEmpty()) {
                chosen++;
            }
            int found = type.getDeclaredMethods().filter(calls.get(chosen)).size();
            int lists = type.getDeclaredMethods().filter(list).size();
            String where = type.getName() + " (class loader " + describe(loader) + ")";
            if (found == 0) {
                AgentLog.warn("MCP " + side + " class " + where + " has no " + callName + " choke point: "
                        + "tool calls through it are NOT enforced. Is this an SDK version the agent does not know?");
            } else {
                AgentLog.info("instrumented " + side + " " + callName + (lists > 0 ? " and " + listName : "")
                        + " in " + where);
                INSTRUMENTED.add(side + " " + where);
            }
            return builder.visit(callVisitors.get(chosen)).visit(listVisitor);
        }

        private static String describe(ClassLoader loader) {
            return loader == null ? "bootstrap" : loader.getClass().getName() + "@"
                    + Integer.toHexString(System.identityHashCode(loader));
        }
    }

    /** Instrumentation failures are logged, once per type, and never reach the application. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            AgentLog.errorOnce("instrument-" + typeName, "could not instrument " + typeName
                    + "; tool calls through it are NOT enforced", throwable);
        }
    }
}
