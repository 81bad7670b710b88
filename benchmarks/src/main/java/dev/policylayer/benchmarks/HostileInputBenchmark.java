package dev.policylayer.benchmarks;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

/**
 * What the hostile payloads of the compat module's {@code HostileInputTest} cost the engine, next to the same payload
 * decided by a tool with no rules (what the agent must at least do: look the tool up): a 50 MB string through a
 * regex and a {@code contains}, a million-item array indexed and searched, and a catastrophic-backtracking regex on
 * 50 000 and on 50 million characters, which runs out of its step budget. The ratios to {@code noRules} are what the
 * integration test used to assert against a clock; here a busy machine cannot fail a build.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class HostileInputBenchmark {
    private static final String POLICY = """
            {"version": "1", "default": "deny",
             "tools": {
               "flaky": {},
               "limited": {
                 "require": [{"path": "args.text", "op": "regex", "value": "[ -~]*"}],
                 "deny_if": [{"path": "args.text", "op": "contains", "value": "DROP TABLE"}]},
               "drop_table": {
                 "deny_if": [{"path": "args.items[999999]", "op": "eq", "value": 13},
                             {"path": "args.items", "op": "contains", "value": "poison"}]},
               "create_refund": {
                 "require": [{"path": "args.reason", "op": "regex", "value": "^(a+)+$"}]}
             }}""";
    private static final int MB_50 = 50 * 1024 * 1024;

    private PolicyEngine engine;
    private ToolCall noRules;
    private ToolCall fiftyMegabytes;
    private ToolCall millionItems;
    private ToolCall catastrophic50k;
    private ToolCall catastrophic50m;

    @Setup(Level.Trial)
    public void load() throws Exception {
        engine = PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of("policylayer.policy", POLICY))), null,
                "default");
        String text = "x".repeat(MB_50);
        noRules = call("flaky", Map.of("text", text));
        fiftyMegabytes = call("limited", Map.of("text", text));
        List<Object> items = new ArrayList<>(Collections.nCopies(1_000_000, (Object) java.math.BigDecimal.ZERO));
        millionItems = call("drop_table", Map.of("items", items));
        catastrophic50k = call("create_refund", Map.of("reason", "a".repeat(50_000) + "b"));
        catastrophic50m = call("create_refund", Map.of("reason", "a".repeat(MB_50) + "b"));
        expect(Verdict.ALLOW, noRules);
        expect(Verdict.ALLOW, fiftyMegabytes);
        expect(Verdict.ALLOW, millionItems);
        expect(Verdict.DENY, catastrophic50k);
        expect(Verdict.DENY, catastrophic50m);
    }

    private static ToolCall call(String tool, Map<String, ?> arguments) {
        return new ToolCall(tool, arguments, Side.SERVER, "session-1");
    }

    private void expect(Verdict verdict, ToolCall call) {
        Decision decision = engine.decide(call);
        if (decision.verdict() != verdict) {
            throw new IllegalStateException("the benchmark would measure the wrong path: " + decision);
        }
    }

    @Benchmark
    public Decision noRules() {
        return engine.decide(noRules);
    }

    @Benchmark
    public Decision regexAndContainsOnFiftyMegabytes() {
        return engine.decide(fiftyMegabytes);
    }

    @Benchmark
    public Decision indexAndSearchAMillionItems() {
        return engine.decide(millionItems);
    }

    @Benchmark
    public Decision catastrophicRegexOnFiftyThousand() {
        return engine.decide(catastrophic50k);
    }

    @Benchmark
    public Decision catastrophicRegexOnFiftyMillion() {
        return engine.decide(catastrophic50m);
    }
}
