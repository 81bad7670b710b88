package dev.policylayer.engine.decision;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.counter.MutableClock;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.util.HashMap;
import java.util.Map;

/** An engine over an inline policy and a real in-memory counter store on a clock the test moves. */
final class EngineFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(1_700_000_000_000L);
    final OffHeapCounterStore counters = OffHeapCounterStore.inMemory(clock, 1024);
    final PolicyEngine engine;

    EngineFixture(String policyJson) throws Exception {
        this(policyJson, Map.of());
    }

    EngineFixture(String policyJson, Map<String, String> properties) throws Exception {
        Map<String, String> settings = new HashMap<>(properties);
        if (policyJson != null) {
            settings.put("policylayer.policy", policyJson);
        }
        engine = PolicyEngine.create(PolicyLoader.load(Settings.of(settings)), counters, "team-a");
    }

    Decision call(String tool, Map<String, ?> arguments) {
        return engine.decide(new ToolCall(tool, arguments, Side.SERVER, "session-1"));
    }

    Decision call(String tool) {
        return call(tool, Map.of());
    }

    Decision callInSession(String tool, String session) {
        return engine.decide(new ToolCall(tool, Map.of(), Side.SERVER, session));
    }

    @Override
    public void close() {
        counters.close();
    }
}
