package dev.policylayer.it.springai;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;

/** What the shared app writes differently on Spring AI 1.0 (MCP SDK 0.10): constructors, no builders. */
final class SpringAiVersion {

    private SpringAiVersion() {
    }

    static McpClientTransport stdio(ServerParameters parameters) {
        return new StdioClientTransport(parameters);
    }

    static AssistantMessage assistantMessage(List<AssistantMessage.ToolCall> toolCalls) {
        return new AssistantMessage("", Map.of(), toolCalls);
    }
}
