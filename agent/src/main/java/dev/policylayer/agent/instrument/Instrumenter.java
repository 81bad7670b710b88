package dev.policylayer.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import dev.policylayer.agent.integration.ChokePoint;
import dev.policylayer.agent.integration.Integration;
import dev.policylayer.agent.integration.Integrations;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.status.AgentStatus;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every integration's advice at its choke points ({@link ChokePoint}), on classes loaded later and, for a
 * late attach, on classes already loaded (retransformation; advice changes method bodies only). Says per class
 * loader what it instrumented, and warns loudly when a type holds none of the expected methods (a library release
 * the agent does not know), unless the type hands its calls to inner types that are themselves choke points (the
 * SDK's 0.8 and 0.9 servers).
 */
public final class Instrumenter {
    private final Map<String, Target> targets = new HashMap<>();
    private final List<String> instrumented = new CopyOnWriteArrayList<>();
    private final Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private record Target(Integration integration, ChokePoint chokePoint) {
    }

    public Instrumenter(Integrations integrations) {
        for (Integration integration : integrations.all()) {
            for (ChokePoint chokePoint : integration.chokePoints()) {
                targets.put(chokePoint.typeName(), new Target(integration, chokePoint));
            }
        }
    }

    /** The binary names of every type that holds a choke point. */
    public Set<String> typeNames() {
        return Set.copyOf(targets.keySet());
    }

    /** The choke points instrumented so far, one line each: integration id, type and class loader. */
    public List<String> instrumented() {
        return List.copyOf(instrumented);
    }

    /** Whether instrumenting the type of this binary name failed (it would load without its advice). */
    public boolean failed(String typeName) {
        return failed.contains(typeName);
    }

    /** For a late attach: installs now and retransforms the classes already loaded. */
    public void installNow(Instrumentation instrumentation) {
        builder().with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION).installOn(instrumentation);
    }

    /**
     * For premain: the transformer, not installed, so that building it (Byte Buddy's own start-up is the agent's
     * largest cost) can happen off the application's start-up path; {@link ChokePointWatcher} hands it the classes.
     */
    public ClassFileTransformer transformer() {
        return builder().makeRaw();
    }

    private AgentBuilder builder() {
        // ByteBuddy's default ignores synthetic methods: the SDK server's choke points are synthetic lambdas, so only
        // finalizers may be ignored, or the advice would silently never apply. Advice only inlines into existing
        // method bodies, so Byte Buddy's type validation (paid on the application's thread as each class loads)
        // has nothing to check.
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED).ignore(isDefaultFinalizer()))
                .disableClassFormatChanges()
                .with(new Failures())
                .type(namedOneOf(targets.keySet().toArray(new String[0])))
                .transform(new Instrument());
    }

    /** Applies the call and list advice of the type's choke point, and reports what it found. */
    private final class Instrument implements AgentBuilder.Transformer {
        private final Map<String, List<AsmVisitorWrapper>> callVisitors = new HashMap<>();
        private final Map<String, AsmVisitorWrapper> listVisitors = new HashMap<>();

        Instrument() {
            // Built once, when the agent starts (reading the advice's bytecode is not free).
            targets.forEach((name, target) -> {
                ChokePoint point = target.chokePoint();
                Advice call = Advice.to(point.callAdvice());
                callVisitors.put(name, point.calls().stream().map(m -> (AsmVisitorWrapper) call.on(m)).toList());
                if (point.list() != null) {
                    listVisitors.put(name, Advice.to(point.listAdvice()).on(point.list()));
                }
            });
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module,
                                                ProtectionDomain protectionDomain) {
            Target target = targets.get(type.getName());
            if (target == null) {
                return builder;
            }
            ChokePoint point = target.chokePoint();
            List<ElementMatcher<? super MethodDescription>> calls = point.calls();
            int chosen = 0;
            while (chosen < calls.size() - 1 && type.getDeclaredMethods().filter(calls.get(chosen)).isEmpty()) {
                chosen++;
            }
            int found = type.getDeclaredMethods().filter(calls.get(chosen)).size();
            int lists = point.list() == null ? 0 : type.getDeclaredMethods().filter(point.list()).size();
            String where = type.getName() + " (class loader " + describe(loader) + ")";
            String what = target.integration().description();
            if (found > 0) {
                AgentLog.info("instrumented " + what + " " + point.callName() + (lists > 0 ? " and "
                        + point.listName() : "") + " in " + where);
                instrumented.add(target.integration().id() + " " + where);
                AgentStatus.chokePoints(instrumented);
                target.integration().instrumented(type.getName(), loader);
            } else if (!delegatesToChokePoints(type)) {
                AgentLog.warn(what + " class " + where + " has no " + point.callName() + " choke point: tool calls"
                        + " through it are NOT enforced. Is this a release the agent does not know?");
            }
            DynamicType.Builder<?> advised = builder.visit(callVisitors.get(type.getName()).get(chosen));
            AsmVisitorWrapper list = listVisitors.get(type.getName());
            return list == null ? advised : advised.visit(list);
        }

        /** Whether the type declares inner types that are choke points themselves (so it holds none of its own). */
        private boolean delegatesToChokePoints(TypeDescription type) {
            for (TypeDescription inner : type.getDeclaredTypes()) {
                if (targets.containsKey(inner.getName())) {
                    return true;
                }
            }
            return false;
        }

        private static String describe(ClassLoader loader) {
            return loader == null ? "bootstrap" : loader.getClass().getName() + "@"
                    + Integer.toHexString(System.identityHashCode(loader));
        }
    }

    /** Instrumentation failures are remembered (the watcher refuses such a class) and logged, once per type. */
    private final class Failures extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            failed.add(typeName);
            AgentLog.errorOnce("instrument-" + typeName, "could not instrument " + typeName, throwable);
        }
    }
}
