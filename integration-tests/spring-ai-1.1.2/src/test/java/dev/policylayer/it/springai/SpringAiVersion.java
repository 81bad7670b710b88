package dev.policylayer.it.springai;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;

/** What the shared app writes differently on Spring AI 1.1 (MCP SDK 0.17): the SDK's JSON mapper, builders. */
final class SpringAiVersion {

    private SpringAiVersion() {
    }

    static McpClientTransport stdio(ServerParameters parameters) {
        return new StdioClientTransport(parameters, McpJsonMapper.getDefault());
    }

    static AssistantMessage assistantMessage(List<AssistantMessage.ToolCall> toolCalls) {
        return AssistantMessage.builder().content("").toolCalls(toolCalls).build();
    }
}
