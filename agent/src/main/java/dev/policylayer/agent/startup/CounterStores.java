package dev.policylayer.agent.startup;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.counter.ChronicleCounterStore;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.counter.DeferredCounterStore;
import dev.policylayer.engine.settings.AgentOptions;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Opens the counter store off the application's start-up path: Chronicle's first map takes a while to
 * initialise, so it opens on a daemon thread, and the first call that needs a counter waits for it (bounded;
 * it fails closed if the store cannot open).
 */
final class CounterStores {

    private CounterStores() {
    }

    static CounterStore open(AgentOptions options) {
        CompletableFuture<CounterStore> opening = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                CounterStore store = options.counters().isPresent()
                        ? ChronicleCounterStore.sharedFile(options.counters().get(), Clock.systemUTC(),
                        options.counterKeys())
                        : ChronicleCounterStore.inMemory(Clock.systemUTC(), options.counterKeys());
                Runtime.getRuntime().addShutdownHook(new Thread(store::close, "policylayer-counters-close"));
                opening.complete(store);
            } catch (Throwable failure) {
                AgentLog.error("counters could not be opened" + options.counters().map(p -> " at " + p).orElse("")
                        + ": " + failure.getMessage() + "; every call with a limit will be "
                        + (options.fail() == AgentOptions.FailMode.OPEN ? "ALLOWED uncounted (policylayer.fail=open)"
                        : "denied"));
                opening.completeExceptionally(failure);
            }
        }, "policylayer-counters-open");
        opener.setDaemon(true);
        opener.start();
        return new DeferredCounterStore(opening);
    }
}
