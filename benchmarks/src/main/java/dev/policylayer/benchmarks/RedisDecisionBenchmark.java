package dev.policylayer.benchmarks;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.redis.RedisCounterStore;
import dev.policylayer.engine.counter.redis.RedisLocation;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import dev.policylayer.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A decision counted in Redis over loopback (a real redis-server, started here on a free port) next to a bare
 * {@code PING} through the same store, same connections and same worker threads, in the same run: one limit, five
 * limits (still one round trip), and eight threads on one hot counter. Limits are high enough never to refuse.
 * Sampled, so that the medians (p0.50) can be compared: on a shared machine a round trip's mean is mostly its
 * outliers. Run: {@code java -jar benchmarks/target/benchmarks.jar RedisDecision -f 2 -wi 5 -i 8 -w 2 -r 2}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class RedisDecisionBenchmark {
    private static final String POLICY = """
            {"version": "1", "default": "allow",
             "tools": {
               "one": {"limits": [{"counter": "one", "window": "second", "max": 1000000000}]},
               "five": {"limits": [{"counter": "a", "window": "second", "max": 1000000000},
                                   {"counter": "b", "window": "minute", "max": 1000000000},
                                   {"counter": "c", "window": "hour", "max": 1000000000, "algorithm": "fixed"},
                                   {"counter": "d", "window": "day", "max": 1000000000, "scope": "session"},
                                   {"counter": "e", "window": "day", "max": 1000000000, "increment_from": "args.n"}]}
             }}""";

    private RedisServer redis;
    private RedisCounterStore store;
    private PolicyEngine engine;
    private ToolCall one;
    private ToolCall five;

    @Setup(Level.Trial)
    public void start() throws Exception {
        redis = RedisServer.start();
        store = RedisCounterStore.open(RedisLocation.parse(redis.url(), null), "bench:", Duration.ofSeconds(5));
        engine = PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of("policylayer.policy", POLICY))), store,
                "default");
        one = new ToolCall("one", Map.of(), Side.SERVER, "session-1");
        five = new ToolCall("five", Map.of("n", 2), Side.SERVER, "session-1");
        for (ToolCall call : new ToolCall[] {one, five}) {
            Decision decision = engine.decideAsync(call).toCompletableFuture().join();
            if (decision.verdict() != Verdict.ALLOW) {
                throw new IllegalStateException("the benchmark would measure the wrong path: " + decision);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        store.close();
        redis.close();
    }

    @Benchmark
    public Object ping() {
        return store.ping().join();
    }

    @Benchmark
    public Decision oneLimit() {
        return engine.decideAsync(one).toCompletableFuture().join();
    }

    @Benchmark
    public Decision fiveLimits() {
        return engine.decideAsync(five).toCompletableFuture().join();
    }

    @Benchmark
    @Threads(8)
    public Decision oneHotCounterEightThreads() {
        return engine.decideAsync(one).toCompletableFuture().join();
    }
}
