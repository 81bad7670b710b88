package dev.policylayer.agent.startup;

import dev.policylayer.agent.enforce.DecisionListener;
import dev.policylayer.agent.enforce.Enforcer;
import dev.policylayer.agent.enforce.KnownServers;
import dev.policylayer.bootstrap.ToolCallGate;
import dev.policylayer.engine.reload.LivePolicy;

/**
 * Hands the enforcer to the gate. A class of its own because it names boot-class-path types, which may only be
 * resolved after {@link BootstrapInjector} has run.
 */
final class GateInstaller {

    private GateInstaller() {
    }

    static void install(LivePolicy live, boolean monitor, DecisionListener listener, KnownServers servers) {
        ToolCallGate.install(new Enforcer(live, monitor, listener, servers));
    }
}
