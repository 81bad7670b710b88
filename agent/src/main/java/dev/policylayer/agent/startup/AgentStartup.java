package dev.policylayer.agent.startup;

import dev.policylayer.agent.instrument.McpInstrumentation;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.AgentOptions;
import dev.policylayer.engine.settings.Settings;
import dev.policylayer.engine.settings.SettingsSources;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Starts the agent: settings, policy, counters, the gate, the instrumentation, in that order. Whatever goes
 * wrong is logged and contained: the host application always starts.
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
            PolicyEngine engine = engine(settings, options, instrumentation);
            boolean monitor = options.mode() == AgentOptions.Mode.MONITOR;
            if (engine != null) {
                GateInstaller.install(engine, monitor);
            }
            McpInstrumentation.install(instrumentation);
            if (lateAttach) {
                AgentLog.info("attached to a running JVM; tool calls from now on are enforced");
            }
        } catch (Throwable failure) {
            AgentLog.error("the agent could not start, so tool calls are NOT enforced: " + failure);
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
                ChronicleModuleGrants.grant(instrumentation);
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
