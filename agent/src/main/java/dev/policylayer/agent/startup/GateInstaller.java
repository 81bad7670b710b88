package dev.policylayer.agent.startup;

import dev.policylayer.agent.enforce.Enforcer;
import dev.policylayer.bootstrap.ToolCallGate;
import dev.policylayer.engine.PolicyEngine;

/**
 * Hands the enforcer to the gate. A class of its own because it names boot-class-path types, which may only be
 * resolved after {@link BootstrapInjector} has run.
 */
final class GateInstaller {

    private GateInstaller() {
    }

    static void install(PolicyEngine engine, boolean monitor) {
        ToolCallGate.install(new Enforcer(engine, monitor));
    }
}
