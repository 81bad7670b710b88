package dev.policylayer.agent.startup;

import dev.policylayer.agent.gate.ToolCallDecider;
import dev.policylayer.bootstrap.ToolCallGate;

/**
 * Hands the decider to the gate. A class of its own because it names boot-class-path types, which may only be
 * resolved after {@link BootstrapInjector} has run.
 */
final class GateInstaller {

    private GateInstaller() {
    }

    static void install(ToolCallDecider decider) {
        ToolCallGate.install(decider);
    }
}
