package dev.policylayer.it.springai;

/** {@code McpSyncClient} with {@code SyncMcpToolCallbackProvider}: what Spring AI's MCP client starter builds by default. */
class SyncToolCallbacksTest extends ToolCallbacksUnderTheAgent {

    @Override
    String flavour() {
        return "sync";
    }
}
