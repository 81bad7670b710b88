package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A fixture stdio server in a forked JVM with the real agent jar and a policy, for the hostile-input tests: it
 * knows what a normal call costs in that JVM, so each hostile call is timed as a ratio to it, never against an
 * absolute clock (the build machine is shared and its speed varies by an order of magnitude).
 *
 * <p>The bound is {@value #RATIO} times the median normal call: generous enough for a cold code path (a
 * denial's first message, a class loaded on first use) on a loaded machine, yet far below what a hang, a
 * per-character regex stall or a quadratic walk over a large argument costs. Payloads whose mere transfer
 * and parsing cost time are timed against the same bytes sent to a tool with no rules (see
 * {@link #assertNoSlowerThan}), so that only what the agent adds is bounded: five times that, since the agent's
 * own pass over a payload (a regex, a search) costs about what parsing it did, and a pathological one (a
 * quadratic walk, a regex budget of billions of reads) lands ten times past it.
 */
final class HostileServer implements AutoCloseable {
    static final int RATIO = 50;
    private static final int NORMAL_CALLS = 15;

    private final StdioServer server;
    private final Path runLog;
    private final long normalNanos;
    private int ranSoFar;

    private HostileServer(StdioServer server, Path runLog) throws IOException, InterruptedException {
        this.server = server;
        this.runLog = runLog;
        this.normalNanos = measureNormal();
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
            return new HostileServer(new StdioServer(jvm), runLog);
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

    long lastNanos() {
        return server.lastRoundTripNanos();
    }

    /** The median round trip of a normal call (allowed, tool ran) in this JVM, measured after a warm-up. */
    long normalNanos() {
        return normalNanos;
    }

    /** The last call took at most {@value #RATIO} normal calls. */
    double assertQuick(String what) {
        return assertWithin(what, RATIO * normalNanos);
    }

    /**
     * The median of {@code nanos} (the same hostile call repeated) is at most {@value #RATIO} normal calls, and
     * the slowest at most four times that: the first of them also pays for compiling the code it is the first
     * to run hard (the regex engine, say), which a normal call never does.
     */
    double assertQuickMedian(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        long slowest = sorted[sorted.length - 1];
        double ratio = (double) median / normalNanos;
        System.out.printf("[hostile] %-55s %9.1f ms  = %8.1f normal calls (median of %d; slowest %.1f ms)%n", what,
                median / 1e6, ratio, nanos.length, slowest / 1e6);
        assertTrue(median <= RATIO * normalNanos, what + " took " + median / 1_000_000 + " ms (median), "
                + Math.round(ratio) + " normal calls (a normal call: " + normalNanos / 1000 + " µs)");
        assertTrue(slowest <= 4 * RATIO * normalNanos, what + " took " + slowest / 1_000_000 + " ms once, "
                + Math.round((double) slowest / normalNanos) + " normal calls");
        return ratio;
    }

    /**
     * The last call took at most {@code factor} times {@code sameBytesNanos} (the same payload sent to a tool with
     * no rules: the transfer and parsing every server pays, agent or not) plus {@value #RATIO} normal calls.
     */
    double assertNoSlowerThan(String what, long sameBytesNanos, int factor) {
        return assertWithin(what, factor * sameBytesNanos + RATIO * normalNanos);
    }

    private double assertWithin(String what, long boundNanos) {
        long took = lastNanos();
        double ratio = (double) took / normalNanos;
        System.out.printf("[hostile] %-55s %9.1f ms  = %8.1f normal calls (bound %.1f ms)%n", what, took / 1e6,
                ratio, boundNanos / 1e6);
        assertTrue(took <= boundNanos, what + " took " + took / 1_000_000 + " ms, " + Math.round(ratio)
                + " normal calls (a normal call: " + normalNanos / 1000 + " µs); bound " + boundNanos / 1_000_000
                + " ms");
        return ratio;
    }

    /** The tools that really ran since the last call of this method, in order. */
    List<String> ranSinceLastAsked() throws IOException {
        List<String> all = Files.readString(runLog, StandardCharsets.UTF_8).lines().toList();
        List<String> since = all.subList(ranSoFar, all.size());
        ranSoFar = all.size();
        return List.copyOf(since);
    }

    /** After a hostile call: the server still answers a normal call normally, and about as fast. */
    void assertStillAnswers() throws IOException, InterruptedException {
        ranSinceLastAsked();
        assertEquals(new ToolResult(false, "echo: still here"), server.call("echo", "{\"text\":\"still here\"}"),
                server.jvm().describe());
        assertEquals(List.of("echo"), ranSinceLastAsked());
        assertWithin("a normal call afterwards", RATIO * normalNanos);
    }

    private long measureNormal() throws IOException, InterruptedException {
        for (int i = 0; i < NORMAL_CALLS; i++) {
            call("echo", "{\"text\":\"warm-up\"}"); // JIT and first-use class loading, not counted
        }
        long[] took = new long[NORMAL_CALLS];
        for (int i = 0; i < NORMAL_CALLS; i++) {
            ToolResult result = call("echo", "{\"text\":\"normal\"}");
            assertEquals(new ToolResult(false, "echo: normal"), result, server.jvm().describe());
            took[i] = lastNanos();
        }
        ranSinceLastAsked();
        Arrays.sort(took);
        return took[NORMAL_CALLS / 2];
    }

    @Override
    public void close() {
        server.close();
    }
}
