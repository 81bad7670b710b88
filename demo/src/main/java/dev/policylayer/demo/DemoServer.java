package dev.policylayer.demo;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An ordinary MCP server over stdio, written with no knowledge of PolicyLayer: the demo starts it with
 * {@code -javaagent:policylayer.jar}, and every policy decision happens without a line of code here.
 */
public final class DemoServer {

    private DemoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                .serverInfo("demo-shop", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(
                        tool("search", "Search the product catalogue", Map.of("query", "string"),
                                call -> "3 products match \"" + call.arguments().get("query") + "\""),
                        tool("create_refund", "Refund an order", Map.of("order", "string", "amount", "number",
                                "reason", "string"),
                                call -> "refund of " + call.arguments().get("amount") + " issued for order "
                                        + call.arguments().get("order")),
                        tool("delete_account", "Delete a customer account", Map.of("account", "string"),
                                call -> "account " + call.arguments().get("account") + " deleted"),
                        tool("export_customers", "Export every customer record", Map.of(),
                                call -> "12,408 customer records exported"))
                .build();
        // The stdio transport reads on its own threads; keep the JVM alive until the client closes stdin.
        Thread.currentThread().join();
        server.close();
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, String> params,
                                              Function<CallToolRequest, String> handler) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        params.forEach((param, type) -> properties.put(param, Map.of("type", type)));
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .description(description)
                .inputSchema(Map.of("type", "object", "properties", properties))
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> CallToolResult.builder()
                        .content(List.of(new McpSchema.TextContent(handler.apply(request))))
                        .isError(false)
                        .build())
                .build();
    }
}
