package dev.policylayer.agent.startup;

import dev.policylayer.agent.instrument.McpInstrumentation;
import dev.policylayer.agent.instrument.SdkClassWatcher;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.AgentOptions;
import dev.policylayer.engine.settings.Settings;
import dev.policylayer.engine.settings.SettingsSources;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

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
        PolicyEngine engine = engine(settings, options, instrumentation);
        if (engine != null) {
            GateInstaller.install(engine, options.mode() == AgentOptions.Mode.MONITOR);
        }
    }

    /** The engine to enforce with; null when the policy failed to load and {@code policylayer.fail=open}. */
    private static PolicyEngine engine(Settings settings, AgentOptions options, Instrumentation instrumentation) {
        String mode = options.mode().name().toLowerCase(java.util.Locale.ROOT);
        String fail = options.fail().name().toLowerCase(java.util.Locale.ROOT);
        try {
            LoadedPolicy policy = PolicyLoader.load(settings);
            CounterStore counters = null;
            if (policy.hasLimits()) {
                grantChronicleAccess(instrumentation);
                counters = CounterStores.open(options);
            }
            AgentLog.info("policy " + policy.source() + " (" + policy.ruleCount() + " rules, sha256 "
                    + policy.hash().substring(0, 12) + "), mode " + mode + ", fail " + fail + ", counters "
                    + (counters == null ? "none" : options.counters().map(p -> "shared file " + p)
                    .orElse("in this JVM")) + ", grant " + options.grant());
            return PolicyEngine.create(policy, counters, options.grant());
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

    /** Without these the counter store fails to open, and calls with limits are denied saying so. */
    private static void grantChronicleAccess(Instrumentation instrumentation) {
        try {
            ChronicleModuleGrants.grant(instrumentation);
        } catch (RuntimeException refused) {
            AgentLog.error("could not open the JDK internals the counters need (" + refused + "); calls with"
                    + " limits will be denied");
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
