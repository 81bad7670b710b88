package dev.policylayer.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.Sdk;
import dev.policylayer.it.harness.ForkedJvm;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server side over HTTP: the server runs in embedded Tomcat in its own JVM with the agent; this JVM (no
 * agent) calls it with the SDK's own HTTP client transports, as a remote MCP client would.
 */
class HttpTransportsTest {
    private static final String POLICY = """
            {"version":"1","default":"allow","hide":["delete_account"],
             "tools":{"drop_table":{"action":"deny","reason":"Schema changes go through migrations."}}}""";

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "stateless"})
    void everyHttpTransportIsEnforced(String transport) throws Exception {
        try (ForkedJvm server = ForkedJvm.of(HttpFixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY))
                .argument(transport)
                .start()) {
            String portLine = server.nextLine(60);
            assertTrue(portLine.startsWith("PORT "), portLine);
            String url = "http://127.0.0.1:" + portLine.substring("PORT ".length());
            McpJsonMapper mapper = (McpJsonMapper) Sdk.jsonMapper();
            McpClientTransport clientTransport = transport.equals("sse")
                    ? HttpClientSseClientTransport.builder(url).jsonMapper(mapper).sseEndpoint("/sse").build()
                    : HttpClientStreamableHttpTransport.builder(url).jsonMapper(mapper).endpoint("/mcp").build();
            try (McpSyncClient client = McpClient.sync(clientTransport).requestTimeout(Duration.ofSeconds(30))
                    .build()) {
                client.initialize();
                List<String> listed = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
                assertEquals(List.of("echo", "drop_table", "limited", "spend", "flaky"), listed,
                        "delete_account is hidden over " + transport);

                McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo",
                        Map.of("text", "hi")));
                assertFalse(Boolean.TRUE.equals(echo.isError()));
                assertEquals("echo: hi", Sdk.text(echo));

                McpSchema.CallToolResult drop = client.callTool(new McpSchema.CallToolRequest("drop_table", Map.of()));
                assertTrue(Boolean.TRUE.equals(drop.isError()));
                assertTrue(Sdk.text(drop).startsWith("[POLICY DENIED] Schema changes go through migrations."),
                        Sdk.text(drop));

                McpSchema.CallToolResult hidden = client.callTool(new McpSchema.CallToolRequest("delete_account",
                        Map.of()));
                assertTrue(Sdk.text(hidden).startsWith("[POLICY DENIED] ") && Sdk.text(hidden).contains("(hidden)"),
                        Sdk.text(hidden));
            }
            assertTrue(server.stderrLines().stream().anyMatch(l -> l.startsWith("[policylayer] instrumented MCP SDK server "
                    + "tools/call")), server.describe());
        }
    }
}
