package dev.policylayer.it.springai;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;

/** What the shared app writes differently on Spring AI 2.0 (MCP SDK 2.0): the SDK's JSON defaults, builders. */
final class SpringAiVersion {

    private SpringAiVersion() {
    }

    static McpClientTransport stdio(ServerParameters parameters) {
        return new StdioClientTransport(parameters, McpJsonDefaults.getMapper());
    }

    static AssistantMessage assistantMessage(List<AssistantMessage.ToolCall> toolCalls) {
        return AssistantMessage.builder().content("").toolCalls(toolCalls).build();
    }
}
