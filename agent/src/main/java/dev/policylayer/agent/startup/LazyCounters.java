package dev.policylayer.agent.startup;

import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.settings.AgentOptions;

/**
 * The counter store, opened the first time a policy with limits comes into force (at start-up or by a reload that
 * adds the first limit), and then shared by every engine: that is what lets limits survive reloads.
 */
final class LazyCounters {
    private final AgentOptions options;
    private CounterStore store;

    LazyCounters(AgentOptions options) {
        this.options = options;
    }

    synchronized CounterStore get() {
        if (store == null) {
            store = CounterStores.open(options);
        }
        return store;
    }

    synchronized String describe() {
        return store == null ? "none" : options.counters().describe();
    }
}
