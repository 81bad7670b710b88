package dev.policylayer.it.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.fixture.JsonLine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An agent app built on LangChain4j's own MCP client, as its tool executors use it: list the tools, then call
 * them with the JSON arguments a model wrote. No PolicyLayer code: the agent is only on its command line. The
 * MCP server is a real child process (the fixture server, without the agent). Prints one JSON line per step.
 */
public final class LangChain4jApp {
    /** Each call: tool name and the arguments text the model produced. */
    static final List<Map.Entry<String, String>> SCRIPT = List.of(
            Map.entry("delete_account", "{}"),
            Map.entry("drop_table", "{\"name\":\"users\"}"),
            Map.entry("echo", "{\"text\":\"please rm -rf /\"}"),
            Map.entry("echo", "{\"text\":\"hello\"}"),
            Map.entry("echo", "[\"not\",\"an\",\"object\"]"),
            Map.entry("limited", "{}"),
            Map.entry("limited", "{}"),
            Map.entry("limited", "{}"));

    private LangChain4jApp() {
    }

    public static void main(String[] args) throws Exception {
        Path runLog = Path.of(args[0]);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        McpClient client = new DefaultMcpClient.Builder()
                .transport(new StdioMcpTransport.Builder()
                        .command(List.of(java, "-Dfixture.runlog=" + runLog, "-cp",
                                System.getProperty("java.class.path"), FixtureServer.class.getName()))
                        .logEvents(false)
                        .build())
                .build();
        try {
            List<String> listed = client.listTools().stream().map(ToolSpecification::name).toList();
            System.out.println("{\"tools\":" + JsonLine.of(listed) + "}");
            int id = 0;
            for (Map.Entry<String, String> call : SCRIPT) {
                ToolExecutionRequest request = ToolExecutionRequest.builder().id("call-" + ++id)
                        .name(call.getKey()).arguments(call.getValue()).build();
                System.out.println(report(call.getKey(), client.executeTool(request)));
            }
            System.out.println("{\"done\":true}");
        } finally {
            client.close();
        }
    }

    /**
     * One result as the model would get it: LangChain4j up to 1.5 returns the text, from 1.6 a
     * {@code ToolExecutionResult} with {@code resultText()} and {@code isError()} (read reflectively, so one
     * source serves every release).
     */
    private static String report(String tool, Object result) throws ReflectiveOperationException {
        if (result instanceof String text) {
            return "{\"call\":" + JsonLine.of(tool) + ",\"text\":" + JsonLine.of(text) + "}";
        }
        String text = (String) result.getClass().getMethod("resultText").invoke(result);
        boolean error = (Boolean) result.getClass().getMethod("isError").invoke(result);
        return "{\"call\":" + JsonLine.of(tool) + ",\"text\":" + JsonLine.of(text) + ",\"isError\":" + error + "}";
    }
}
