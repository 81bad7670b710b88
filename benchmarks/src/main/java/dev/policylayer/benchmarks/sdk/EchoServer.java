package dev.policylayer.benchmarks.sdk;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** The MCP server the performance measurements call: one {@code echo} tool over stdio. */
final class EchoServer {

    private EchoServer() {
    }

    static McpSyncServer start(InputStream in, OutputStream out) {
        McpSchema.Tool echo = McpSchema.Tool.builder().name("echo").description("echo")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string"))))
                .build();
        return McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, out))
                .serverInfo("bench", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(SyncToolSpecification.builder().tool(echo)
                        .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                                .content(List.of(new McpSchema.TextContent(
                                        String.valueOf(request.arguments().get("text")))))
                                .isError(false).build())
                        .build())
                .build();
    }

    /** A stand-alone stdio server, for the start-up measurement. */
    public static void main(String[] args) throws InterruptedException {
        start(System.in, System.out);
        Thread.currentThread().join();
    }
}
