package dev.policylayer.agent.startup;

import dev.policylayer.agent.approval.ApprovalEvents;
import dev.policylayer.agent.approval.ApprovalOperations;
import dev.policylayer.agent.approval.Webhook;
import dev.policylayer.agent.audit.AuditLog;
import dev.policylayer.agent.caller.Callers;
import dev.policylayer.agent.caller.GrantPolicies;
import dev.policylayer.agent.caller.RequestsInFlight;
import dev.policylayer.agent.gate.ApprovalDesk;
import dev.policylayer.agent.gate.DecisionListener;
import dev.policylayer.agent.gate.DecisionListeners;
import dev.policylayer.agent.gate.PolicyInForce;
import dev.policylayer.agent.gate.ToolCallDecider;
import dev.policylayer.agent.instrument.ChokePointWatcher;
import dev.policylayer.agent.instrument.Instrumenter;
import dev.policylayer.agent.integration.Integrations;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.metrics.AgentMetrics;
import dev.policylayer.agent.metrics.FlightRecorderEvents;
import dev.policylayer.agent.metrics.MetricsRegistration;
import dev.policylayer.agent.status.AgentStatus;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.grants.Grants;
import dev.policylayer.engine.load.GrantsLoader;
import dev.policylayer.engine.load.LoadedPolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.load.ReadLimits;
import dev.policylayer.engine.reload.Followed;
import dev.policylayer.engine.reload.LiveFile;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.AgentOptions;
import dev.policylayer.engine.settings.ApprovalTarget;
import dev.policylayer.engine.settings.CallerIdentity;
import dev.policylayer.engine.settings.Settings;
import dev.policylayer.engine.settings.SettingsSources;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Starts the agent. The gate is installed first and is closed: until the policy is in force, a call waits for it
 * (bounded) and is denied if it does not come; whatever fails afterwards (an unreadable or enormous policy, an
 * {@code OutOfMemoryError}) leaves a gate that denies every call saying why, unless {@code policylayer.fail=open}.
 * Only then does anything slow start, on daemon threads beside the application's own start-up: loading the
 * policy, and building Byte Buddy, which a watcher waits for before any choke-point class loads.
 */
public final class AgentStartup {

    private AgentStartup() {
    }

    /**
     * @throws IllegalStateException under {@code policylayer.fail=closed} when not even a closed gate could be
     *                               installed: the JVM (or the attach) then fails, rather than run tools unenforced
     */
    public static void start(String agentArguments, Instrumentation instrumentation, boolean lateAttach) {
        AgentOptions options = null;
        PolicyInForce policies = null;
        try {
            Settings settings = SettingsSources.merge(systemProperties(), agentArguments, System.getenv());
            options = AgentOptions.from(settings, System::getenv);
            options.problems().forEach(AgentLog::warn);
            if (!BootstrapInjector.inject(instrumentation)) {
                AgentLog.warn("the agent is already running in this JVM; this start is ignored");
                return;
            }
            AgentStatus.running();
            // The agent's Byte Buddy (relocated, so this is its own property, not the app's) would probe
            // sun.misc.Unsafe, which JDK 24 and later warn about in the app's stderr (JEP 471); the agent needs none
            // of what it offers (advice is inlined; the bootstrap classes are appended, not injected).
            System.setProperty(net.bytebuddy.dynamic.loading.ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
            boolean failOpen = options.fail() == AgentOptions.FailMode.OPEN;
            CallerIdentity identity = options.identity();
            Integrations integrations = Integrations.standard(identity.fromRequest());
            Instrumenter instrumenter = new Instrumenter(integrations);
            AgentMetrics metrics = new AgentMetrics();
            metrics.chokePointsFrom(instrumenter::instrumented);
            policies = new PolicyInForce(failOpen);
            Callers callers = new Callers(identity, options.grant(), failOpen, new RequestsInFlight());
            metrics.identity(identity.problem() == null ? identity.describe() : "(unusable: " + identity.problem()
                    + ")");
            AuditLog audit = audit(options, metrics);
            ApprovalDesk desk = new ApprovalDesk();
            GateInstaller.install(new ToolCallDecider(integrations, policies, options.mode()
                    == AgentOptions.Mode.MONITOR, callers, desk, listeners(metrics, audit)));
            ApprovalOperations operations = new ApprovalOperations();
            Map<String, Object> beans = new java.util.LinkedHashMap<>();
            beans.put(MetricsRegistration.NAME, metrics);
            beans.put(ApprovalOperations.NAME, operations);
            MetricsRegistration.registerInBackground(beans);
            Starter starter = new Starter(settings, options, integrations, metrics, policies, callers,
                    new Approvals(desk, operations, audit));
            if (lateAttach) {
                starter.run();
                instrumenter.installNow(instrumentation);
                AgentLog.info("attached to a running JVM; tool calls from now on are enforced");
                return;
            }
            ChokePointWatcher watcher = new ChokePointWatcher(instrumenter.typeNames(), failOpen);
            instrumentation.addTransformer(watcher, true);
            daemon("policylayer-start", starter);
            daemon("policylayer-instrument", () -> {
                try {
                    watcher.ready(instrumenter, instrumenter.transformer());
                } catch (Throwable failure) {
                    watcher.failed(failure);
                    AgentLog.error("could not build the instrumentation: " + failure);
                }
            });
        } catch (Throwable failure) {
            boolean failOpen = options != null && options.fail() == AgentOptions.FailMode.OPEN;
            if (policies != null) {
                policies.startFailed(String.valueOf(failure));
                AgentLog.error("the agent could not start (" + failure + "): every tool call is "
                        + (failOpen ? "ALLOWED (policylayer.fail=open)" : "DENIED (policylayer.fail=closed)"));
                return;
            }
            if (failOpen) {
                AgentLog.error("the agent could not start (" + failure + "), so tool calls are NOT enforced"
                        + " (policylayer.fail=open)");
                return;
            }
            AgentLog.error("the agent could not start (" + failure + ") and policylayer.fail=closed: refusing to run"
                    + " unenforced. Fix the cause, or set policylayer.fail=open to start without enforcement.");
            throw new IllegalStateException("the PolicyLayer agent could not start: " + failure, failure);
        }
    }

    private static DecisionListener listeners(AgentMetrics metrics, AuditLog audit) {
        List<DecisionListener> listeners = new ArrayList<>();
        listeners.add(metrics);
        listeners.add(FlightRecorderEvents.listener());
        if (audit != null) {
            listeners.add(audit);
        }
        return DecisionListeners.of(listeners);
    }

    /** The audit log the settings ask for, or null (none, or one that cannot be written: said once). */
    private static AuditLog audit(AgentOptions options, AgentMetrics metrics) {
        if (options.audit().isEmpty()) {
            return null;
        }
        String target = options.audit().get();
        try {
            AuditLog audit = AuditLog.start(target, options.auditMaxBytes());
            metrics.auditDroppedFrom(audit::dropped);
            AgentLog.info("decision audit to " + target);
            return audit;
        } catch (IOException | RuntimeException unwritable) {
            AgentLog.error("the decision audit cannot be written to " + target + " (" + unwritable.getMessage()
                    + "); calls are still enforced, but not audited");
            return null;
        }
    }

    /** What approvals need once the store is open: the desk that asks and holds, the MBean, the audit. */
    private record Approvals(ApprovalDesk desk, ApprovalOperations operations, AuditLog audit) {

        ApprovalStore open(ApprovalTarget target) {
            ApprovalStore store = ApprovalStores.open(target);
            store.listen(new ApprovalEvents(audit, target.webhook() == null ? null : new Webhook(target.webhook()),
                    target.operatorArgument()));
            desk.started(store);
            operations.started(store);
            return store;
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(AgentStartup.class.getClassLoader());
        thread.start();
    }

    /** Loads the policy and puts it in force; whatever goes wrong leaves the gate denying, saying why. */
    private static final class Starter implements Runnable {
        private final Settings settings;
        private final AgentOptions options;
        private final Integrations integrations;
        private final AgentMetrics metrics;
        private final PolicyInForce policies;
        private final Callers callers;
        private final Approvals approvals;

        Starter(Settings settings, AgentOptions options, Integrations integrations, AgentMetrics metrics,
                PolicyInForce policies, Callers callers, Approvals approvals) {
            this.settings = settings;
            this.options = options;
            this.integrations = integrations;
            this.metrics = metrics;
            this.policies = policies;
            this.callers = callers;
            this.approvals = approvals;
        }

        @Override
        public void run() {
            try {
                LazyCounters counters = new LazyCounters(options);
                ApprovalStore approvalStore = approvals.open(options.approvals());
                Function<LoadedPolicy, PolicyEngine> factory = policy -> PolicyEngine.create(policy,
                        policy.hasLimits() ? counters.get() : null, approvalStore, options.grant(),
                        options.fail() == AgentOptions.FailMode.OPEN);
                Optional<Path> file = PolicyLoader.policyFile(settings);
                boolean follow = file.isPresent() && options.reload();
                boolean failOpen = options.fail() == AgentOptions.FailMode.OPEN;
                ReloadReporter reporter = new ReloadReporter(integrations, metrics, failOpen, "policy");
                LivePolicy live;
                if (follow) {
                    live = LivePolicy.following(file.get(), settings, () -> engine(settings, factory, counters, true,
                            null), factory, reporter);
                } else {
                    live = LivePolicy.fixed(engine(settings, factory, counters, false, null));
                }
                metrics.policyInForce(live.current(), false);
                ReloadReporter grantReporter = new ReloadReporter(integrations, metrics, failOpen, "grant policy");
                GrantPolicies grantPolicies = new GrantPolicies(policyFile -> grantPolicy(policyFile, factory,
                        counters, grantReporter));
                LiveFile<Grants> grants = startGrants(grantPolicies, file.orElse(null));
                if (follow || (grants != null && grants.file() != null)) {
                    PolicyWatch.start(() -> followed(live, grants));
                }
                policies.started(live);
                AgentStatus.policy(live.current());
            } catch (Throwable failure) {
                policies.startFailed(String.valueOf(failure));
                AgentStatus.policyFailed(String.valueOf(failure));
                AgentLog.error("the agent could not load its policy (" + failure + "): every tool call is "
                        + (options.fail() == AgentOptions.FailMode.OPEN ? "ALLOWED (policylayer.fail=open)"
                        : "DENIED (policylayer.fail=closed)"));
            }
        }

        /**
         * The grants file in force (null without one), and the callers' directory set up: at start-up a grants
         * file that cannot be loaded leaves every server-side call denied, saying why, until a valid edit.
         */
        private LiveFile<Grants> startGrants(GrantPolicies grantPolicies, Path mainPolicy) {
            CallerIdentity identity = options.identity();
            if (identity.grants().isEmpty() || identity.problem() != null) {
                callers.started(null, null, grantPolicies, mainPolicy);
                if (identity.fromRequest()) {
                    AgentLog.info("callers identified by " + identity.describe() + ", each principal its own grant");
                }
                return null;
            }
            Path grantsFile = identity.grants().get();
            ReadLimits limits = PolicyLoader.readLimits(settings, new ArrayList<>());
            String[] failure = new String[1];
            Supplier<Grants> initial = () -> {
                try {
                    Grants loaded = GrantsLoader.load(grantsFile, limits);
                    AgentLog.info("callers identified by " + identity.describe() + ", grants " + GrantsReporter
                            .describe(loaded));
                    return loaded;
                } catch (PolicyLoadException invalid) {
                    failure[0] = invalid.problems().size() == 1 ? invalid.getMessage() : invalid.problems().size()
                            + " problems, the first: " + invalid.problems().get(0).describe();
                    AgentLog.error("the grants file could not be loaded: every server-side tool call will be DENIED"
                            + " until it is fixed:");
                    logProblems(invalid);
                    return null;
                }
            };
            LiveFile<Grants> grants = options.reload()
                    ? LiveFile.following(grantsFile, limits, initial, java.util.Objects::nonNull,
                    () -> GrantsLoader.load(grantsFile, limits), new GrantsReporter(grantPolicies, integrations,
                            metrics))
                    : LiveFile.fixed(initial.get());
            Grants loaded = grants.current();
            if (loaded != null) {
                metrics.grantsInForce(loaded, false);
            }
            callers.started(grants, failure[0], grantPolicies, mainPolicy);
            if (loaded != null) {
                grantPolicies.open(GrantsReporter.policyFiles(loaded));
            }
            return grants;
        }

        /** A grant's own policy file, loaded (a fail-closed engine for its callers if it cannot be) and followed. */
        private LivePolicy grantPolicy(Path policyFile, Function<LoadedPolicy, PolicyEngine> factory,
                                       LazyCounters counters, ReloadReporter reporter) {
            Map<String, String> own = new HashMap<>();
            own.put("policylayer.policy", policyFile.toString());
            for (String key : List.of("policylayer.policy.max-bytes", "policylayer.policy.read-timeout")) {
                settings.get(key).ifPresent(value -> own.put(key, value));
            }
            Settings grantSettings = Settings.of(own);
            return options.reload()
                    ? LivePolicy.following(policyFile, grantSettings, () -> engine(grantSettings, factory, counters,
                    true, "grant policy"), factory, reporter)
                    : LivePolicy.fixed(engine(grantSettings, factory, counters, false, "grant policy"));
        }

        /** Every file followed now: the policy, the grants file, and the grants' own policies. */
        private List<Followed> followed(LivePolicy live, LiveFile<Grants> grants) {
            List<Followed> files = new ArrayList<>();
            if (live.file() != null) {
                files.add(live);
            }
            if (grants != null && grants.file() != null) {
                files.add(grants);
            }
            files.addAll(callers.grantPolicies());
            return files;
        }

        /**
         * The start-up engine: the policy's, a fail-closed one when it cannot be loaded, or null when it cannot be
         * loaded and {@code policylayer.fail=open}.
         *
         * @param what null for the main policy, else what the policy is for log lines ({@code grant policy})
         */
        private PolicyEngine engine(Settings from, Function<LoadedPolicy, PolicyEngine> factory,
                                    LazyCounters counters, boolean followed, String what) {
            String mode = options.mode().name().toLowerCase(Locale.ROOT);
            String fail = options.fail().name().toLowerCase(Locale.ROOT);
            boolean failOpen = options.fail() == AgentOptions.FailMode.OPEN;
            String whose = what == null ? "every tool call" : "every call of the grants that use it";
            try {
                LoadedPolicy policy = PolicyLoader.load(from);
                PolicyEngine engine = factory.apply(policy);
                AgentLog.info((what == null ? "policy " : what + " ") + policy.source() + " (" + policy.ruleCount()
                        + " rules, sha256 " + policy.hash().substring(0, 12) + ")" + (what != null ? ""
                        : ", mode " + mode + ", fail " + fail + ", counters " + counters.describe() + ", grant "
                        + options.grant()) + (followed ? ", reload on edit" : ""));
                return engine;
            } catch (PolicyLoadException invalid) {
                if (failOpen) {
                    AgentLog.warn("the " + (what == null ? "policy" : what) + " could not be loaded and"
                            + " policylayer.fail=open: " + whose + " is ALLOWED");
                    logProblems(invalid);
                    return null;
                }
                AgentLog.error("the " + (what == null ? "policy" : what) + " could not be loaded: " + whose
                        + " will be DENIED (policylayer.fail=closed; mode " + mode + ")");
                logProblems(invalid);
                return PolicyEngine.failClosed(invalid.problems().size() == 1 ? invalid.getMessage()
                        : invalid.problems().size() + " problems in the policy, the first: "
                        + invalid.problems().get(0).describe());
            } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError unexpected) {
                String why = "the " + (what == null ? "policy" : what) + " could not be loaded (" + unexpected + ")";
                if (failOpen) {
                    AgentLog.warn(why + " and policylayer.fail=open: " + whose + " is ALLOWED");
                    return null;
                }
                AgentLog.error(why + ": " + whose + " will be DENIED (policylayer.fail=closed)");
                return PolicyEngine.failClosed(why);
            }
        }

        private static void logProblems(PolicyLoadException invalid) {
            invalid.getMessage().lines().forEach(line -> AgentLog.error("  " + line));
        }
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
