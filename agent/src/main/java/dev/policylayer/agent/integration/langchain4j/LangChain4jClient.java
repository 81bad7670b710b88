package dev.policylayer.agent.integration.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.policylayer.agent.gate.CallChannel;
import dev.policylayer.agent.integration.ChokePoint;
import dev.policylayer.agent.integration.Integration;
import java.util.List;

/**
 * LangChain4j's own MCP client, which does not use the MCP Java SDK: {@code DefaultMcpClient.executeTool}. From
 * 1.11 {@code executeTool(request)} delegates to {@code executeTool(request, context)}, the leaf; before, the
 * one-argument method is the leaf. The first of these the class declares is advised, so each call is decided once.
 * Both {@code listTools()} and, from 1.11, {@code listTools(context)} are filtered: filtering twice changes nothing.
 */
public final class LangChain4jClient implements Integration {
    /** The id the advice passes to the gate. */
    public static final String ID = "langchain4j-client";
    private static final String REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

    private final LangChain4jChannel channel = new LangChain4jChannel();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "LangChain4j client";
    }

    @Override
    public List<ChokePoint> chokePoints() {
        return List.of(new ChokePoint("dev.langchain4j.mcp.client.DefaultMcpClient", "executeTool", List.of(
                named("executeTool").and(takesArguments(2)).and(takesArgument(0, named(REQUEST))),
                named("executeTool").and(takesArguments(1)).and(takesArgument(0, named(REQUEST)))),
                ExecuteToolAdvice.class, "listTools",
                named("listTools").and(not(isStatic())).and(returns(named("java.util.List"))),
                ListToolsAdvice.class));
    }

    @Override
    public CallChannel channel(Object client) {
        return channel;
    }
}
