package dev.policylayer.benchmarks;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * One whole decision as the agent asks for it: an allowed call counted by one sliding limit, the same with
 * five argument predicates, and a call denied by an argument rule, next to a {@code ConcurrentHashMap} counter
 * increment as the baseline in the same run. Limits are high enough never to refuse.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class DecisionBenchmark {
    private static final String POLICY = """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "search": { "rate_limit": { "max": 1000000000, "window": "second" } },
                "create_refund": {
                  "require": [ {"path": "args.reason", "op": "exists", "value": true},
                               {"path": "args.currency", "op": "in", "value": ["EUR", "USD"]} ],
                  "deny_if": [ {"path": "args.amount", "op": "gt", "value": 10000},
                               {"path": "args.order.id", "op": "starts_with", "value": "TEST-"},
                               {"path": "args.reason", "op": "len_gt", "value": 500} ],
                  "rate_limit": { "max": 1000000000, "window": "second" }
                }
              }
            }""";

    private OffHeapCounterStore store;
    private PolicyEngine engine;
    private final ConcurrentHashMap<String, AtomicLong> baseline = new ConcurrentHashMap<>();
    private ToolCall search;
    private ToolCall refund;
    private ToolCall deniedRefund;

    @Setup(Level.Trial)
    public void load() throws Exception {
        store = OffHeapCounterStore.inMemory(Clock.systemUTC(), 1_000);
        engine = PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of("policylayer.policy", POLICY))), store,
                "default");
        search = new ToolCall("search", Map.of("query", "usb cable"), Side.SERVER, "session-1");
        refund = new ToolCall("create_refund", Map.of("amount", 49.90, "currency", "EUR", "reason", "broken",
                "order", Map.of("id", "A-1001")), Side.SERVER, "session-1");
        deniedRefund = new ToolCall("create_refund", Map.of("amount", "20000", "currency", "EUR", "reason", "x",
                "order", Map.of("id", "A-1002")), Side.SERVER, "session-1");
        expect(Verdict.ALLOW, engine.decide(search));
        expect(Verdict.ALLOW, engine.decide(refund));
        expect(Verdict.DENY, engine.decide(deniedRefund));
    }

    private static void expect(Verdict verdict, Decision decision) {
        if (decision.verdict() != verdict) {
            throw new IllegalStateException("the benchmark would measure the wrong path: " + decision);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    public Decision allowedWithOneSlidingLimit() {
        return engine.decide(search);
    }

    @Benchmark
    public Decision allowedWithFivePredicatesAndOneLimit() {
        return engine.decide(refund);
    }

    @Benchmark
    public Decision deniedByAnArgumentRule() {
        return engine.decide(deniedRefund);
    }

    @Benchmark
    public long concurrentHashMapAtomicLong() {
        return baseline.computeIfAbsent("calls", k -> new AtomicLong()).incrementAndGet();
    }
}
