package dev.policylayer.agent.startup;

import dev.policylayer.agent.audit.AuditLog;
import dev.policylayer.agent.enforce.DecisionListener;
import dev.policylayer.agent.enforce.DecisionListeners;
import dev.policylayer.agent.enforce.KnownServers;
import dev.policylayer.agent.instrument.McpInstrumentation;
import dev.policylayer.agent.instrument.SdkClassWatcher;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.metrics.AgentMetrics;
import dev.policylayer.agent.metrics.FlightRecorderEvents;
import dev.policylayer.agent.metrics.MetricsRegistration;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.AgentOptions;
import dev.policylayer.engine.settings.Settings;
import dev.policylayer.engine.settings.SettingsSources;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Starts the agent: settings, policy, counters, the gate, the instrumentation, in that order. At premain the
 * slow part (loading the policy, building Byte Buddy) runs on a daemon thread beside the application's own
 * start-up, behind a watcher that holds back the SDK's classes until it is done. Whatever goes wrong is
 * logged and contained: the host application always starts.
 */
public final class AgentStartup {

    private AgentStartup() {
    }

    public static void start(String agentArguments, Instrumentation instrumentation, boolean lateAttach) {
        try {
            Settings settings = SettingsSources.merge(systemProperties(), agentArguments, System.getenv());
            AgentOptions options = AgentOptions.from(settings);
            options.problems().forEach(problem -> AgentLog.warn(problem));
            if (!BootstrapInjector.inject(instrumentation)) {
                AgentLog.warn("the agent is already running in this JVM; this start is ignored");
                return;
            }
            if (lateAttach) {
                enforce(settings, options, instrumentation);
                McpInstrumentation.installNow(instrumentation);
                AgentLog.info("attached to a running JVM; tool calls from now on are enforced");
                return;
            }
            SdkClassWatcher watcher = new SdkClassWatcher();
            instrumentation.addTransformer(watcher, true);
            // Two starters side by side: the policy (and the gate) on one, Byte Buddy on the other. The watcher
            // lets SDK classes through only when both are done, so no call is ever instrumented before the gate
            // has its enforcer.
            CompletableFuture<Void> gate = CompletableFuture.runAsync(
                    () -> enforce(settings, options, instrumentation), AgentStartup::daemon);
            CompletableFuture<ClassFileTransformer> byteBuddy = CompletableFuture.supplyAsync(
                    McpInstrumentation::transformer, AgentStartup::daemon);
            gate.thenCombine(byteBuddy, (ready, transformer) -> transformer).whenComplete((transformer, failure) -> {
                if (failure == null) {
                    watcher.ready(transformer);
                } else {
                    watcher.failed(failure);
                    AgentLog.error("the agent could not start, so tool calls are NOT enforced: " + failure);
                }
            });
        } catch (Throwable failure) {
            AgentLog.error("the agent could not start, so tool calls are NOT enforced: " + failure);
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "policylayer-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** Loads the policy and hands the gate its enforcer: from here on, instrumented calls are decided. */
    private static void enforce(Settings settings, AgentOptions options, Instrumentation instrumentation) {
        LazyCounters counters = new LazyCounters(options, instrumentation);
        AgentMetrics metrics = new AgentMetrics();
        metrics.chokePointsFrom(McpInstrumentation::instrumented);
        Function<LoadedPolicy, PolicyEngine> factory = policy -> PolicyEngine.create(policy,
                policy.hasLimits() ? counters.get() : null, options.grant(),
                options.fail() == AgentOptions.FailMode.OPEN);
        Optional<Path> file = PolicyLoader.policyFile(settings);
        boolean follow = file.isPresent() && options.reload();
        Supplier<PolicyEngine> initial = () -> engine(settings, options, factory, counters, follow);
        KnownServers servers = new KnownServers();
        LivePolicy live;
        if (follow) {
            live = LivePolicy.following(file.get(), settings, initial, factory, new ReloadReporter(servers, metrics));
            PolicyWatch.start(live);
        } else {
            live = LivePolicy.fixed(initial.get());
        }
        metrics.policyInForce(live.current(), false);
        List<DecisionListener> listeners = new ArrayList<>();
        listeners.add(metrics);
        listeners.add(FlightRecorderEvents.listener());
        options.audit().ifPresent(target -> {
            try {
                AuditLog audit = AuditLog.start(target, options.auditMaxBytes(), options.grant());
                metrics.auditDroppedFrom(audit::dropped);
                listeners.add(audit);
                AgentLog.info("decision audit to " + target);
            } catch (IOException | RuntimeException unwritable) {
                AgentLog.error("the decision audit cannot be written to " + target + " (" + unwritable
                        + "); calls are still enforced, but not audited");
            }
        });
        MetricsRegistration.registerInBackground(metrics);
        GateInstaller.install(live, options.mode() == AgentOptions.Mode.MONITOR, DecisionListeners.of(listeners),
                servers);
    }

    /**
     * The start-up engine: the policy's, a fail-closed one when it cannot be loaded, or null when it cannot
     * be loaded and {@code policylayer.fail=open}.
     */
    private static PolicyEngine engine(Settings settings, AgentOptions options,
                                       Function<LoadedPolicy, PolicyEngine> factory, LazyCounters counters,
                                       boolean followed) {
        String mode = options.mode().name().toLowerCase(java.util.Locale.ROOT);
        String fail = options.fail().name().toLowerCase(java.util.Locale.ROOT);
        try {
            LoadedPolicy policy = PolicyLoader.load(settings);
            PolicyEngine engine = factory.apply(policy);
            AgentLog.info("policy " + policy.source() + " (" + policy.ruleCount() + " rules, sha256 "
                    + policy.hash().substring(0, 12) + "), mode " + mode + ", fail " + fail + ", counters "
                    + counters.describe() + ", grant " + options.grant() + (followed ? ", reload on edit" : ""));
            return engine;
        } catch (PolicyLoadException invalid) {
            if (options.fail() == AgentOptions.FailMode.OPEN) {
                AgentLog.warn("the policy could not be loaded and policylayer.fail=open: every tool call is ALLOWED");
                logProblems(invalid);
                return null;
            }
            AgentLog.error("the policy could not be loaded: every tool call will be DENIED (policylayer.fail="
                    + "closed; mode " + mode + ")");
            logProblems(invalid);
            return PolicyEngine.failClosed(invalid.problems().size() == 1 ? invalid.getMessage()
                    : invalid.problems().size() + " problems in the policy, the first: "
                    + invalid.problems().get(0).describe());
        } catch (RuntimeException | LinkageError unexpected) {
            String why = "the policy could not be loaded (" + unexpected + ")";
            if (options.fail() == AgentOptions.FailMode.OPEN) {
                AgentLog.warn(why + " and policylayer.fail=open: every tool call is ALLOWED");
                return null;
            }
            AgentLog.error(why + ": every tool call will be DENIED (policylayer.fail=closed)");
            return PolicyEngine.failClosed(why);
        }
    }

    private static void logProblems(PolicyLoadException invalid) {
        invalid.getMessage().lines().forEach(line -> AgentLog.error("  " + line));
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> copy = new HashMap<>();
        Properties properties = System.getProperties();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return copy;
    }
}
