package dev.policylayer.it.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.Sdk;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Spring Boot app on Spring AI's MCP server starter, its tools {@code @Tool} methods, started with only the
 * {@code -javaagent} flag and called by real SDK clients over each transport the starter offers: every kind of
 * rule holds, and what the tools really ran (the run log) is the evidence.
 */
class StarterToolsTest {
    private static final String POLICY = """
            {"version": "1", "default": "allow", "hide": ["delete_account"],
             "tools": {
               "drop_table": {"action": "deny", "reason": "Schema changes go through migrations."},
               "create_refund": {"deny_if": [{"path": "args.amount", "op": "gt", "value": 1000}]},
               "limited": {"rate_limit": {"max": 2, "window": 3600}},
               "flaky": {"limits": [{"counter": "flaky", "window": "1h", "max": 2}]}
             }}""";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "sse", "streamable", "stateless"})
    void everyRuleHoldsOverEachTransportOfTheStarter(String transport) throws Exception {
        Path runLog = dir.resolve("runlog");
        ForkedJvm.Builder app = ForkedJvm.of(StarterApp.class.getName()).withAgent(ForkedJvm.policyFile(POLICY))
                .option("-Dfixture.runlog=" + runLog)
                .option("-Dspring.main.banner-mode=off")
                .option("-Dlogging.pattern.console=") // stdout is the stdio transport's: no log lines on it
                .option("-Dspring.ai.mcp.server.name=starter-shop");
        if (transport.equals("stdio")) {
            app.option("-Dspring.ai.mcp.server.stdio=true").option("-Dspring.main.web-application-type=none");
        } else {
            app.option("-Dserver.port=0").option("-Dserver.address=127.0.0.1")
                    .option("-Dspring.ai.mcp.server.protocol=" + transport.toUpperCase(java.util.Locale.ROOT));
        }
        try (Conversation server = transport.equals("stdio") ? new Stdio(app.start()) : Http.start(app.start(),
                transport)) {
            List<String> listed = server.tools();
            assertTrue(listed.containsAll(List.of("echo", "drop_table", "create_refund", "limited", "flaky")),
                    listed + "\n" + server.describe());
            assertFalse(listed.contains("delete_account"), "hidden: " + listed);

            assertEquals("echo: hi", server.call("echo", Map.of("text", "hi")).text());
            Answer hidden = server.call("delete_account", Map.of("account", "C-7"));
            assertTrue(hidden.denied() && hidden.text().contains("(hidden)"), hidden.toString());
            Answer denied = server.call("drop_table", Map.of("table", "orders"));
            assertTrue(denied.denied() && denied.text().startsWith("[POLICY DENIED] Schema changes go through"
                    + " migrations."), denied.toString());
            Answer tooMuch = server.call("create_refund", Map.of("amount", 5000, "reason", "asked"));
            assertTrue(tooMuch.denied() && tooMuch.text().contains("/tools/create_refund/deny_if/0"),
                    tooMuch.toString());
            assertEquals("refunded 10.0", server.call("create_refund", Map.of("amount", 10, "reason", "broken"))
                    .text());

            assertEquals("limited ran", server.call("limited", Map.of()).text());
            assertEquals("limited ran", server.call("limited", Map.of()).text());
            Answer third = server.call("limited", Map.of());
            assertTrue(third.denied() && third.text().contains("rate_limit"), third.toString());

            for (int i = 0; i < 3; i++) {
                Answer threw = server.call("flaky", Map.of("fail", true));
                assertTrue(threw.isError() && !threw.denied(), "the tool's own failure, not a denial: " + threw);
            }
            assertEquals("flaky ran", server.call("flaky", Map.of("fail", false)).text());
            assertEquals("flaky ran", server.call("flaky", Map.of("fail", false)).text());
            Answer spent = server.call("flaky", Map.of("fail", false));
            assertTrue(spent.denied(), "two runs spend the limit of two; the three failures gave theirs back: "
                    + spent);
        }
        List<String> ran = Files.readAllLines(runLog);
        assertEquals(Map.of("echo", 1L, "create_refund", 1L, "limited", 2L, "flaky threw", 3L, "flaky", 2L),
                ran.stream().collect(Collectors.groupingBy(line -> line, Collectors.counting())), "what ran: " + ran);
    }

    /** What a call's caller got back; a tool's own answer as Spring AI writes it, a JSON string, unquoted. */
    record Answer(boolean isError, String text) {
        Answer {
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                text = text.substring(1, text.length() - 1);
            }
        }

        boolean denied() {
            return isError && text.startsWith("[POLICY DENIED] ");
        }
    }

    /** One client's session with the app, whatever the transport. */
    interface Conversation extends AutoCloseable {
        List<String> tools() throws Exception;

        Answer call(String tool, Map<String, Object> arguments) throws Exception;

        String describe();

        @Override
        void close();
    }

    /** Raw JSON-RPC lines on the app's stdin and stdout. */
    static final class Stdio implements Conversation {
        private final StdioServer server;

        Stdio(ForkedJvm jvm) throws Exception {
            server = new StdioServer(jvm, 120);
        }

        @Override
        public List<String> tools() throws Exception {
            return server.listToolNames();
        }

        @Override
        public Answer call(String tool, Map<String, Object> arguments) throws Exception {
            StdioServer.ToolResult result = server.call(tool, json(arguments));
            return new Answer(result.isError(), result.text());
        }

        @Override
        public String describe() {
            return server.jvm().describe();
        }

        @Override
        public void close() {
            server.close();
        }

        private static String json(Map<String, Object> arguments) {
            return arguments.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof String s
                    ? "\"" + s + "\"" : String.valueOf(e.getValue()))).collect(Collectors.joining(",", "{", "}"));
        }
    }

    /** The SDK's own HTTP client (SSE, or streamable for the streamable and stateless servers). */
    static final class Http implements Conversation {
        private final ForkedJvm jvm;
        private final McpSyncClient client;

        private Http(ForkedJvm jvm, McpSyncClient client) {
            this.jvm = jvm;
            this.client = client;
        }

        static Http start(ForkedJvm jvm, String transport) throws Exception {
            try {
                String line = jvm.nextLine(180);
                while (!line.startsWith("PORT ")) {
                    line = jvm.nextLine(180);
                }
                String url = "http://127.0.0.1:" + line.substring("PORT ".length());
                McpClientTransport client = transport.equals("sse") ? HttpClientSseClientTransport.builder(url)
                        .sseEndpoint("/sse").build() : HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp")
                        .build();
                McpSyncClient connected = McpClient.sync(client).requestTimeout(Duration.ofSeconds(60))
                        .initializationTimeout(Duration.ofSeconds(60)).build();
                connected.initialize();
                return new Http(jvm, connected);
            } catch (Exception | Error failed) {
                jvm.close();
                throw failed;
            }
        }

        @Override
        public List<String> tools() {
            return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        }

        @Override
        public Answer call(String tool, Map<String, Object> arguments) {
            try {
                McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
                return new Answer(Boolean.TRUE.equals(result.isError()), Sdk.text(result));
            } catch (RuntimeException jsonRpcError) {
                return new Answer(true, "JSON-RPC error: " + jsonRpcError.getMessage());
            }
        }

        @Override
        public String describe() {
            return jvm.describe();
        }

        @Override
        public void close() {
            try {
                client.closeGracefully();
            } finally {
                jvm.close();
            }
        }
    }
}
