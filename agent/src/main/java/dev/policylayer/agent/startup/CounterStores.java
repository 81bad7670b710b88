package dev.policylayer.agent.startup;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.counter.DeferredCounterStore;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.counter.redis.RedisCounterStore;
import dev.policylayer.engine.settings.CounterTarget;
import dev.policylayer.engine.settings.AgentOptions;
import java.time.Clock;

/**
 * Opens the counter store off the application's start-up path, on the store's own daemon thread: a call that needs
 * a counter waits at most a fraction of a second for it, then fails closed with the reason, and a store that cannot
 * open (a full disk, a damaged file) is tried again in the background until it can.
 */
final class CounterStores {

    private CounterStores() {
    }

    /** The store the target names. The Redis client's classes load here, and only for a redis:// target. */
    private static CounterStore openNow(CounterTarget target, int keys) {
        if (target.unusable() != null) {
            throw new IllegalStateException(target.unusable());
        }
        if (target.redis() != null) {
            return RedisCounterStore.open(target.redis(), target.prefix(), target.timeout());
        }
        return target.file() != null ? OffHeapCounterStore.sharedFile(target.file(), Clock.systemUTC(), keys)
                : OffHeapCounterStore.inMemory(Clock.systemUTC(), keys);
    }

    static CounterStore open(AgentOptions options) {
        OffHeapCounterStore.onLockRecovered((file, pid) -> AgentLog.warn("process " + pid + " died while creating"
                + " counters in " + file + "; its lock was taken over, and nothing it had counted was lost"));
        CounterTarget target = options.counters();
        String where = target.inMemory() ? "" : " (" + target.describe() + ")";
        String meanwhile = options.fail() == AgentOptions.FailMode.OPEN
                ? "ALLOWED uncounted (policylayer.fail=open)" : "denied";
        return new DeferredCounterStore(() -> {
            CounterStore store = openNow(target, options.counterKeys());
            Runtime.getRuntime().addShutdownHook(new Thread(store::close, "policylayer-counters-close"));
            return store;
        }, DeferredCounterStore.DEFAULT_WAIT, DeferredCounterStore.DEFAULT_RETRY, new DeferredCounterStore.Listener() {
            @Override
            public void opened(CounterStore store, int attempt) {
                if (attempt > 1) {
                    AgentLog.info("counters opened" + where + " after " + attempt + " attempts; limits are counted"
                            + " again");
                }
            }

            @Override
            public void failed(Throwable why, int attempt, boolean changed) {
                if (changed) {
                    AgentLog.error("counters could not be opened" + where + ": " + why.getMessage() + "; every call"
                            + " with a limit is " + meanwhile + " until they can be (still trying)");
                }
            }
        });
    }
}
