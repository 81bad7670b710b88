package dev.policylayer.it.springai;

/** {@code McpAsyncClient} with {@code AsyncMcpToolCallbackProvider} (the starter's {@code type: ASYNC}). */
class AsyncToolCallbacksTest extends ToolCallbacksUnderTheAgent {

    @Override
    String flavour() {
        return "async";
    }
}
