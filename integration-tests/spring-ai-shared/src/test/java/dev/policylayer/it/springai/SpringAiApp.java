package dev.policylayer.it.springai;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.fixture.JsonLine;
import dev.policylayer.it.harness.SdkStdioPacing;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.mcp.AsyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor;

/**
 * An ordinary Spring AI app with no knowledge of the policy agent: it connects an MCP client (sync or async) to a
 * stdio MCP server child ({@link FixtureServer}, run WITHOUT the agent), takes the tool callbacks the way Spring AI
 * apps do ({@link SyncMcpToolCallbackProvider} / {@link AsyncMcpToolCallbackProvider}), and runs scripted tool calls
 * through the framework's own tool loop ({@code DefaultToolCallingManager}) as if a model had asked for them. No
 * LLM: the "model's" requests are {@link AssistantMessage} tool calls in a {@link ChatResponse}.
 *
 * <p>Prints one JSON line per step on stdout: first {@code {"tools":[...]}} (the tool names the model is offered),
 * then {@code {"call":..., "response":...}} per call of {@link #script()} with the text the model receives in the
 * {@link ToolResponseMessage}, then {@code {"call":..., "thrown":...}} for {@link #STRICT_CALL} made by a tool loop
 * set to throw tool errors at the caller, and finally {@code {"done":true}}.
 *
 * <p>Arguments: {@code sync|async <run log of the server child>}.
 */
public final class SpringAiApp {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * A denied call made once more by a tool loop whose exception processor always throws, as Spring Boot sets it
     * up with {@code spring.ai.tools.throw-exception-on-error=true}.
     */
    public static final Map.Entry<String, String> STRICT_CALL = Map.entry("drop_table", "{\"table\":\"orders\"}");

    private SpringAiApp() {
    }

    /** The calls the "model" makes, in order: MCP tool name and JSON arguments. */
    public static List<Map.Entry<String, String>> script() {
        return List.of(
                Map.entry("echo", "{\"text\":\"hello\"}"),
                Map.entry("echo", "{\"text\":\"then rm -rf /\"}"),
                Map.entry("drop_table", "{\"table\":\"users\"}"),
                Map.entry("limited", "{}"),
                Map.entry("limited", "{}"),
                Map.entry("limited", "{}"));
    }

    public static void main(String[] args) throws Exception {
        // If this JVM is killed, do not leave the server child behind.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        McpClientTransport transport = SpringAiVersion.stdio(serverParameters(args[1]));
        Connected mcp = args[0].equals("async") ? connectAsync(transport) : connectSync(transport);
        try {
            List<String> offered = new ArrayList<>();
            for (ToolCallback callback : mcp.callbacks()) {
                offered.add(callback.getToolDefinition().name());
            }
            print("{\"tools\":" + JsonLine.of(offered) + "}");

            ToolCallingChatOptions options = ToolCallingChatOptions.builder()
                    .toolCallbacks(List.of(mcp.callbacks()))
                    .build();
            Prompt prompt = new Prompt(List.of(new UserMessage("tidy up the shop database")), options);
            ToolCallingManager toolLoop = ToolCallingManager.builder().build();
            int id = 0;
            for (Map.Entry<String, String> call : script()) {
                SdkStdioPacing.beforeRequest(); // every Spring AI release here brings an SDK before 2.1.0
                ToolExecutionResult result = toolLoop.executeToolCalls(prompt, modelAsks(++id, call, offered));
                print("{\"call\":" + JsonLine.of(call.getKey()) + ",\"response\":"
                        + JsonLine.of(whatTheModelReads(result)) + "}");
            }

            ToolCallingManager strictToolLoop = ToolCallingManager.builder()
                    .toolExecutionExceptionProcessor(DefaultToolExecutionExceptionProcessor.builder()
                            .alwaysThrow(true)
                            .build())
                    .build();
            SdkStdioPacing.beforeRequest(); // every Spring AI release here brings an SDK before 2.1.0
            String thrown = "nothing";
            try {
                strictToolLoop.executeToolCalls(prompt, modelAsks(++id, STRICT_CALL, offered));
            } catch (RuntimeException failedTheChatCall) {
                thrown = failedTheChatCall.getClass().getSimpleName() + ": " + failedTheChatCall.getMessage();
            }
            print("{\"call\":" + JsonLine.of(STRICT_CALL.getKey()) + ",\"thrown\":" + JsonLine.of(thrown) + "}");
        } finally {
            mcp.close().run();
        }
        print("{\"done\":true}");
        System.exit(0);
    }

    /** The callbacks an app registers for one MCP client, and how it closes that client. */
    private record Connected(ToolCallback[] callbacks, Runnable close) {
    }

    private static Connected connectSync(McpClientTransport transport) {
        McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT).build();
        client.initialize();
        return new Connected(new SyncMcpToolCallbackProvider(client).getToolCallbacks(), client::closeGracefully);
    }

    private static Connected connectAsync(McpClientTransport transport) {
        McpAsyncClient client = McpClient.async(transport).requestTimeout(TIMEOUT).build();
        client.initialize().block(TIMEOUT);
        return new Connected(new AsyncMcpToolCallbackProvider(client).getToolCallbacks(),
                () -> client.closeGracefully().block(TIMEOUT));
    }

    /** What a chat model answers when it wants one tool called: an assistant message carrying the tool call. */
    private static ChatResponse modelAsks(int id, Map.Entry<String, String> call, List<String> offered) {
        AssistantMessage.ToolCall toolCall = new AssistantMessage.ToolCall("call-" + id, "function",
                nameOfferedFor(call.getKey(), offered), call.getValue());
        return new ChatResponse(List.of(new Generation(SpringAiVersion.assistantMessage(List.of(toolCall)))));
    }

    private static ServerParameters serverParameters(String runLog) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The app's own class path carries the SDK release Spring AI brought; the child gets no -javaagent.
        return ServerParameters.builder(java)
                .args("-cp", System.getProperty("java.class.path"), "-Dfixture.runlog=" + runLog,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", FixtureServer.class.getName())
                .build();
    }

    /**
     * The name the model is offered for an MCP tool: Spring AI 1.0 prefixes it with the client's name
     * ({@code <client>_echo}), later releases offer the MCP name itself.
     */
    private static String nameOfferedFor(String mcpName, List<String> offered) {
        return offered.stream()
                .filter(name -> name.equals(mcpName) || name.endsWith("_" + mcpName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(mcpName + " is not among the offered tools " + offered));
    }

    /** The tool loop appends one {@link ToolResponseMessage} to the conversation: its text goes to the model. */
    private static String whatTheModelReads(ToolExecutionResult result) {
        List<Message> history = result.conversationHistory();
        ToolResponseMessage response = (ToolResponseMessage) history.get(history.size() - 1);
        return response.getResponses().get(0).responseData();
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
