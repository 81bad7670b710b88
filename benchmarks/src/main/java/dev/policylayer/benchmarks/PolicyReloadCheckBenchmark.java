package dev.policylayer.benchmarks;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * What following a policy file costs each call: the engine in force from a {@link LivePolicy} that looks at
 * its file (one {@code stat}) against one that never changes, and a whole decision (no limits) through each.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class PolicyReloadCheckBenchmark {
    private static final String POLICY = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"search\":{}}}";

    private Path file;
    private LivePolicy following;
    private LivePolicy fixed;
    private final ToolCall search = new ToolCall("search", Map.of("query", "usb cable"), Side.SERVER, "s1");

    @Setup(Level.Trial)
    public void load() throws Exception {
        file = Files.createTempFile("bench-policy-", ".json");
        Files.writeString(file, POLICY);
        Settings settings = Settings.of(Map.of("policylayer.policy", file.toString()));
        following = LivePolicy.following(file, settings, () -> engine(settings),
                policy -> PolicyEngine.create(policy, null, "default"), new LivePolicy.Listener() {
                    @Override
                    public void applied(PolicyEngine previous, PolicyEngine next) {
                        throw new IllegalStateException("the file must not change during the benchmark");
                    }

                    @Override
                    public void rejected(PolicyLoadException problems) {
                        throw new IllegalStateException(problems);
                    }
                });
        fixed = LivePolicy.fixed(engine(settings));
    }

    private static PolicyEngine engine(Settings settings) {
        try {
            return PolicyEngine.create(PolicyLoader.load(settings), null, "default");
        } catch (PolicyLoadException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws Exception {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public PolicyEngine followedFile() {
        return following.current();
    }

    @Benchmark
    public PolicyEngine fixedPolicy() {
        return fixed.current();
    }

    @Benchmark
    public Decision decideFollowingTheFile() {
        return following.current().decide(search);
    }

    @Benchmark
    public Decision decideFixed() {
        return fixed.current().decide(search);
    }
}
