package dev.policylayer.agent.startup;

import dev.policylayer.engine.counter.ChronicleModuleAccess;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Grants the JDK internals Chronicle Map needs to the agent's own (unnamed) module, so users never add
 * {@code --add-opens} flags. Only to the agent's module: the application's modules see nothing new.
 */
final class ChronicleModuleGrants {

    private ChronicleModuleGrants() {
    }

    static void grant(Instrumentation instrumentation) {
        Module agent = ChronicleModuleGrants.class.getModule();
        Map<Module, Map<String, Set<Module>>> exports = new HashMap<>();
        Map<Module, Map<String, Set<Module>>> opens = new HashMap<>();
        for (ChronicleModuleAccess.Grant grant : ChronicleModuleAccess.requiredOpens()) {
            Module source = ModuleLayer.boot().findModule(grant.module()).orElseThrow(() ->
                    new IllegalStateException("module " + grant.module() + " not found"));
            (grant.open() ? opens : exports).computeIfAbsent(source, m -> new HashMap<>())
                    .put(grant.pkg(), Set.of(agent));
            exports.computeIfAbsent(source, m -> new HashMap<>());
        }
        for (Module source : exports.keySet()) {
            instrumentation.redefineModule(source, Set.of(), exports.getOrDefault(source, Map.of()),
                    opens.getOrDefault(source, Map.of()), Set.of(), Map.of());
        }
    }
}
