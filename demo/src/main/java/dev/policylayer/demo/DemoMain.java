package dev.policylayer.demo;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The demo a new user runs first: an agent-side MCP client calls the tools of {@link DemoServer}, which runs
 * in a child JVM started with {@code -javaagent:policylayer.jar} and the example policy, and prints each call
 * with the verdict the policy gave it.
 */
public final class DemoMain {

    private static final String POLICY_RESOURCE = "/demo-policy.json";

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path demoJar = Path.of(DemoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path agentJar = locateAgentJar(demoJar);
        Path policy = args.length > 0 ? Path.of(args[0]) : extractExamplePolicy();

        out.println("PolicyLayer demo");
        out.println("  server : DemoServer (MCP Java SDK, stdio) in a child JVM with -javaagent:" + agentJar);
        out.println("  policy : " + policy);
        out.println();
        out.println(indent(Files.readString(policy)));

        ConcurrentLinkedQueue<String> agentLog = new ConcurrentLinkedQueue<>();
        ServerParameters server = ServerParameters.builder(javaBinary())
                .args("-javaagent:" + agentJar, "-Dpolicylayer.policy=" + policy,
                        "-cp", demoJar.toString(), DemoServer.class.getName())
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> {
            if (line.startsWith("[policylayer]")) {
                agentLog.add(line);
            }
        });

        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
            client.initialize();
            List<String> visible = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            out.println("tools/list  -> " + String.join(", ", visible)
                    + (visible.contains("delete_account") ? "" : "   (delete_account is hidden by the policy)"));
            out.println();
            out.printf("%-3s %-66s %-8s %s%n", "#", "tools/call", "verdict", "what the model reads");
            int n = 0;
            for (Call call : script()) {
                CallToolResult result = client.callTool(new McpSchema.CallToolRequest(call.tool, call.arguments));
                String text = result.content().stream()
                        .filter(McpSchema.TextContent.class::isInstance)
                        .map(c -> ((McpSchema.TextContent) c).text())
                        .collect(Collectors.joining(" "));
                String verdict = Boolean.TRUE.equals(result.isError()) && text.startsWith("[POLICY DENIED] ")
                        ? "DENIED" : Boolean.TRUE.equals(result.isError()) ? "ERROR" : "ALLOWED";
                out.printf("%-3d %-66s %-8s %s%n", ++n, call, verdict, text);
            }
        }
        out.println();
        out.println("What the agent logged on the server's stderr:");
        agentLog.forEach(line -> out.println("  " + line));
    }

    private static List<Call> script() {
        List<Call> calls = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            calls.add(new Call("search", args("query", "usb cable")));
        }
        calls.add(new Call("create_refund", args("order", "A-1001", "amount", 49.90, "reason", "arrived broken")));
        calls.add(new Call("create_refund", args("order", "A-1002", "amount", 5000, "reason", "customer asked")));
        calls.add(new Call("create_refund", args("order", "A-1003", "amount", 20)));
        calls.add(new Call("delete_account", args("account", "C-77")));
        calls.add(new Call("export_customers", args()));
        return calls;
    }

    private static Map<String, Object> args(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Path locateAgentJar(Path demoJar) {
        String configured = System.getProperty("policylayer.demo.agent");
        Path agent = configured != null ? Path.of(configured)
                : demoJar.toAbsolutePath().getParent().resolve("../../agent/target/policylayer.jar").normalize();
        if (!Files.isRegularFile(agent)) {
            throw new IllegalStateException("agent jar not found at " + agent
                    + ": build it with ./mvnw -q -pl demo -am package -DskipTests,"
                    + " or name it with -Dpolicylayer.demo.agent=<path>");
        }
        return agent;
    }

    private static Path extractExamplePolicy() throws IOException {
        Path policy = Files.createTempFile("policylayer-demo-", ".json");
        policy.toFile().deleteOnExit();
        try (InputStream in = DemoMain.class.getResourceAsStream(POLICY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(POLICY_RESOURCE + " missing from the demo jar");
            }
            Files.copy(in, policy, StandardCopyOption.REPLACE_EXISTING);
        }
        return policy;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).collect(Collectors.joining(System.lineSeparator()))
                + System.lineSeparator();
    }

    private record Call(String tool, Map<String, Object> arguments) {
        @Override
        public String toString() {
            return tool + " " + arguments;
        }
    }
}
