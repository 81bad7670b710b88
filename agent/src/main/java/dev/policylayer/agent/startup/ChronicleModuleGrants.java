package dev.policylayer.agent.startup;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.counter.ChronicleModuleAccess;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Grants the JDK internals Chronicle Map needs to the agent's own (unnamed) module, so users never add
 * {@code --add-opens} flags. Only to the agent's module: the application's modules see nothing new.
 */
final class ChronicleModuleGrants {

    private ChronicleModuleGrants() {
    }

    /** Without these the counter store fails to open, and calls with limits are denied saying so. */
    static void grantOrLog(Instrumentation instrumentation) {
        try {
            grant(instrumentation);
        } catch (RuntimeException refused) {
            AgentLog.error("could not open the JDK internals the counters need (" + refused + "); calls with"
                    + " limits will be denied");
        }
    }

    static void grant(Instrumentation instrumentation) {
        Module agent = ChronicleModuleGrants.class.getModule();
        for (ChronicleModuleAccess.Grant grant : ChronicleModuleAccess.requiredOpens()) {
            Module source = ModuleLayer.boot().findModule(grant.module()).orElseThrow(() ->
                    new IllegalStateException("module " + grant.module() + " not found"));
            Map<String, Set<Module>> toAgent = Map.of(grant.pkg(), Set.of(agent));
            instrumentation.redefineModule(source, Set.of(), grant.open() ? Map.of() : toAgent,
                    grant.open() ? toAgent : Map.of(), Set.of(), Map.of());
        }
    }
}
