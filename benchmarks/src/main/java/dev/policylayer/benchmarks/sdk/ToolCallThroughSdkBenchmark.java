package dev.policylayer.benchmarks.sdk;

import java.io.IOException;
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
 * A full tools/call through the MCP SDK (stdio transport on pipes, session, handler lambda, JSON both ways),
 * with and without the agent. The two forks differ only in {@code -javaagent}; their ratio is the agent's
 * overhead on a real call. Run from the repository root (the agent and policy paths are relative to it).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ToolCallThroughSdkBenchmark {

    @State(Scope.Thread)
    public static class Server {
        InJvmStdioServer server;

        @Setup(Level.Trial)
        public void start() throws IOException {
            server = new InJvmStdioServer();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            server.close();
        }
    }

    @Benchmark
    @Fork(1)
    public String withoutAgent(Server state) throws IOException {
        return state.server.callEcho();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-javaagent:agent/target/policylayer.jar",
            "-Dpolicylayer.policy=benchmarks/src/main/resources/bench-policy.json"})
    public String withAgent(Server state) throws IOException {
        return state.server.callEcho();
    }
}
