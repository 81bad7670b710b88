package dev.policylayer.agent.startup;

import dev.policylayer.agent.integration.Integration;
import dev.policylayer.agent.integration.Integrations;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.status.AgentStatus;
import dev.policylayer.agent.metrics.AgentMetrics;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.reload.LivePolicy;
import java.util.List;
import java.util.Objects;

/**
 * Says what a reload did, and when the hide list changed tells every integration, so servers can ask their clients
 * to list tools again ({@code notifications/tools/list_changed}) and a newly hidden tool disappears from their
 * menus without a reconnect.
 */
final class ReloadReporter implements LivePolicy.Listener {
    /** What an engine with no valid policy hides under fail-closed: everything (see the gate's listing). */
    private static final List<String> EVERYTHING = List.of("*");

    private final Integrations integrations;
    private final AgentMetrics metrics;
    private final boolean failOpen;
    private final String what;

    /** @param what what the policy is: {@code policy} (the main one, which the MBean shows) or {@code grant policy} */
    ReloadReporter(Integrations integrations, AgentMetrics metrics, boolean failOpen, String what) {
        this.integrations = integrations;
        this.metrics = metrics;
        this.failOpen = failOpen;
        this.what = what;
    }

    @Override
    public void applied(PolicyEngine previous, PolicyEngine next) {
        if (what.equals("policy")) {
            metrics.policyInForce(next, true);
            AgentStatus.policy(next);
        }
        AgentLog.info(what + " reloaded from " + next.policy().source() + " (" + next.policy().ruleCount()
                + " rules, sha256 " + next.policy().hash().substring(0, 12) + ")");
        if (!Objects.equals(hidden(previous), hidden(next))) {
            tellClientsToListAgain(integrations);
        }
    }

    /** What clients may list changed: every integration tells its peers, where it can (a server's list_changed). */
    static void tellClientsToListAgain(Integrations integrations) {
        for (Integration integration : integrations.all()) {
            try {
                integration.hideListChanged();
            } catch (RuntimeException | LinkageError failure) {
                AgentLog.errorOnce("notify-" + failure.getClass().getName(), "could not tell clients that the"
                        + " tool list changed", failure);
            }
        }
    }

    @Override
    public void rejected(PolicyLoadException problems) {
        metrics.reloadRejected();
        AgentLog.error("the edited " + what + " is not valid, so the " + what + " in force is kept (nothing was"
                + " loosened):");
        problems.getMessage().lines().forEach(line -> AgentLog.error("  " + line));
    }

    private List<String> hidden(PolicyEngine engine) {
        if (engine == null) {
            return List.of();
        }
        return engine.policy() == null ? (failOpen ? List.of() : EVERYTHING) : engine.policy().policy().hide();
    }
}
