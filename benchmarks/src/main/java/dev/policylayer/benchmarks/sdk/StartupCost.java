package dev.policylayer.benchmarks.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the agent adds to start-up, as a user sees it: from launching a stdio MCP server JVM to the first
 * tools/call answered (enforced, when the agent is on). Launches alternate with and without the agent so
 * machine noise hits both alike; prints the medians and their difference.
 *
 * <p>Run from the repository root: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.policylayer.benchmarks.sdk.StartupCost [runs [policy]]}.
 */
public final class StartupCost {

    private StartupCost() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String classpath = System.getProperty("java.class.path");
        Path agent = Path.of("agent/target/policylayer.jar").toAbsolutePath();
        Path policy = Path.of(args.length > 1 ? args[1] : "benchmarks/src/main/resources/bench-policy.json")
                .toAbsolutePath();
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        launch(List.of(), classpath); // warm the file cache once, not counted
        for (int i = 0; i < runs; i++) {
            without.add(launch(List.of(), classpath));
            with.add(launch(List.of("-javaagent:" + agent, "-Dpolicylayer.policy=" + policy), classpath));
        }
        long medianWithout = median(without);
        long medianWith = median(with);
        System.out.printf("runs: %d each, JVM start to first tools/call answered%n", runs);
        System.out.printf("without agent: median %d ms  %s%n", medianWithout, without);
        System.out.printf("with agent   : median %d ms  %s%n", medianWith, with);
        System.out.printf("added by the agent: %d ms (median difference)%n", medianWith - medianWithout);
    }

    private static long launch(List<String> agentArgs, String classpath) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(agentArgs);
        command.addAll(List.of("-cp", classpath, EchoServer.class.getName()));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream();
             BufferedReader out = new BufferedReader(
                     new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            write(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"s\",\"version\":\"1\"}}}");
            expect(out, "\"id\":1");
            write(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            write(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                    + "\"arguments\":{\"text\":\"hi\"}}}");
            expect(out, "\"id\":2");
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void write(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void expect(BufferedReader out, String marker) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.contains(marker)) {
                return;
            }
        }
        throw new IOException("server closed stdout before answering " + marker);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
