package dev.policylayer.agent.startup;

import dev.policylayer.agent.caller.GrantPolicies;
import dev.policylayer.agent.integration.Integrations;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.agent.metrics.AgentMetrics;
import dev.policylayer.engine.grants.Grant;
import dev.policylayer.engine.grants.Grants;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.reload.LiveFile;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says what a grants reload did. A new grants file opens the policies it names (so a broken one is reported now,
 * not at its grant's first call), and asks clients to list tools again: a caller moved to another grant may see
 * other tools.
 */
final class GrantsReporter implements LiveFile.Listener<Grants> {
    private final GrantPolicies policies;
    private final Integrations integrations;
    private final AgentMetrics metrics;

    GrantsReporter(GrantPolicies policies, Integrations integrations, AgentMetrics metrics) {
        this.policies = policies;
        this.integrations = integrations;
        this.metrics = metrics;
    }

    /** The policy files the grants name. */
    static Set<Path> policyFiles(Grants grants) {
        return grants.all().stream().map(Grant::policy).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    /** One line for the log: {@code grants.json (3 grants, unknown callers denied, sha256 ab12cd34ef56)}. */
    static String describe(Grants grants) {
        return grants.source() + " (" + grants.all().size() + " grant" + (grants.all().size() == 1 ? "" : "s")
                + ", unknown callers " + (grants.fallback() == null ? "denied" : "get grant \"" + grants.fallback()
                + "\"") + ", sha256 " + grants.hash().substring(0, 12) + ")";
    }

    @Override
    public void applied(Grants previous, Grants next) {
        metrics.grantsInForce(next, true);
        AgentLog.info("grants reloaded from " + describe(next));
        Set<Path> files = policyFiles(next);
        policies.keepOnly(files);
        policies.open(files);
        ReloadReporter.tellClientsToListAgain(integrations);
    }

    @Override
    public void rejected(PolicyLoadException problems) {
        metrics.reloadRejected();
        AgentLog.error("the edited grants file is not valid, so the grants in force are kept (nothing was loosened):");
        problems.getMessage().lines().forEach(line -> AgentLog.error("  " + line));
    }
}
