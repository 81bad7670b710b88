package dev.policylayer.agent.startup;

import dev.policylayer.agent.enforce.KnownServers;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.metrics.AgentMetrics;
import dev.policylayer.agent.sdk.SdkBridges;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.reload.LivePolicy;
import java.util.List;
import java.util.Objects;

/**
 * Says what a reload did, and when the hide list changed tells every server's clients to list tools again
 * ({@code notifications/tools/list_changed}), so a newly hidden tool disappears from their menus and an
 * unhidden one comes back without a reconnect.
 */
final class ReloadReporter implements LivePolicy.Listener {
    private final KnownServers servers;
    private final AgentMetrics metrics;

    ReloadReporter(KnownServers servers, AgentMetrics metrics) {
        this.servers = servers;
        this.metrics = metrics;
    }

    @Override
    public void applied(PolicyEngine previous, PolicyEngine next) {
        metrics.policyInForce(next, true);
        AgentLog.info("policy reloaded from " + next.policy().source() + " (" + next.policy().ruleCount()
                + " rules, sha256 " + next.policy().hash().substring(0, 12) + ")");
        if (!Objects.equals(hidden(previous), hidden(next))) {
            int told = 0;
            for (Object server : servers.all()) {
                try {
                    if (SdkBridges.of(server).notifyToolsListChanged(server, failure -> AgentLog.errorOnce(
                            "notify-" + failure.getClass().getName(), "could not tell clients that the tool list"
                                    + " changed", failure))) {
                        told++;
                    }
                } catch (RuntimeException | LinkageError failure) {
                    AgentLog.errorOnce("notify-" + failure.getClass().getName(), "could not tell clients that the"
                            + " tool list changed", failure);
                }
            }
            AgentLog.info("the hide list changed: told the clients of " + told + " server(s) to list tools again");
        }
    }

    @Override
    public void rejected(PolicyLoadException problems) {
        metrics.reloadRejected();
        AgentLog.error("the edited policy is not valid, so the policy in force is kept (nothing was loosened):");
        problems.getMessage().lines().forEach(line -> AgentLog.error("  " + line));
    }

    private static List<String> hidden(PolicyEngine engine) {
        return engine == null || engine.policy() == null ? List.of() : engine.policy().policy().hide();
    }
}
