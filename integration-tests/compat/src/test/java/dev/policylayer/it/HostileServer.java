package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A fixture stdio server in a forked JVM with the real agent jar and a policy, for the hostile-input tests: which
 * tools really ran, and whether the server still answers after a hostile call. What a hostile call costs is
 * measured where a busy machine cannot make it lie: in JMH ({@code HostileInputBenchmark} in the benchmarks module).
 * Here time is only a liveness limit ({@link #ANSWER_SECONDS}), far beyond any real answer, so that a call that is
 * stuck fails the test instead of hanging it.
 */
final class HostileServer implements AutoCloseable {
    /** A 50 MB argument crosses a pipe and two JSON parsers; on a loaded laptop that is seconds, never minutes. */
    static final int ANSWER_SECONDS = 300;

    private final StdioServer server;
    private final Path runLog;
    private int ranSoFar;

    private HostileServer(StdioServer server, Path runLog) {
        this.server = server;
        this.runLog = runLog;
    }

    /** Starts the fixture server with {@code policyJson}; every policy here must allow {@code echo}. */
    static HostileServer start(String policyJson, String... jvmOptions) throws IOException, InterruptedException {
        ForkedJvm.Builder builder = ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(policyJson));
        for (String option : jvmOptions) {
            builder.option(option);
        }
        return start(builder);
    }

    /** The same server without the agent: what the SDK alone does. */
    static HostileServer startWithoutAgent() throws IOException, InterruptedException {
        return start(ForkedJvm.of(FixtureServer.class.getName()));
    }

    private static HostileServer start(ForkedJvm.Builder builder) throws IOException, InterruptedException {
        Path runLog = Files.createTempFile("runlog-", ".txt");
        runLog.toFile().deleteOnExit();
        ForkedJvm jvm = builder.option("-Dfixture.runlog=" + runLog).start();
        try {
            return new HostileServer(new StdioServer(jvm, ANSWER_SECONDS), runLog);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError failed) {
            jvm.close();
            throw failed;
        }
    }

    StdioServer stdio() {
        return server;
    }

    ToolResult call(String tool, String argumentsJson) throws IOException, InterruptedException {
        return server.call(tool, argumentsJson);
    }

    Map<String, Object> rawCall(String paramsJson) throws IOException, InterruptedException {
        return server.rawCall(paramsJson);
    }

    /** The tools that really ran since the last call of this method, in order. */
    List<String> ranSinceLastAsked() throws IOException {
        List<String> all = Files.readString(runLog, StandardCharsets.UTF_8).lines().toList();
        List<String> since = all.subList(ranSoFar, all.size());
        ranSoFar = all.size();
        return List.copyOf(since);
    }

    /** After a hostile call: the server still answers a normal call normally. */
    void assertStillAnswers() throws IOException, InterruptedException {
        ranSinceLastAsked();
        assertEquals(new ToolResult(false, "echo: still here"), server.call("echo", "{\"text\":\"still here\"}"),
                server.jvm().describe());
        assertEquals(List.of("echo"), ranSinceLastAsked());
    }

    @Override
    public void close() {
        server.close();
    }
}
