package dev.policylayer.agent.integration.mcpsdk.client;

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
 * The MCP Java SDK's client, 0.8 to 2.1: {@code McpAsyncClient.callTool(CallToolRequest)} has the same descriptor
 * in every release, and {@code McpSyncClient} and Spring AI's MCP tool callbacks delegate to it; tools/list is
 * filtered on exit of {@code listTools(String)} (and {@code listTools(String, Map)} from 1.1.2).
 */
public final class McpSdkClient implements Integration {
    /** The id the advice passes to the gate. */
    public static final String ID = "mcp-sdk-client";

    private final ClientChannel channel = new ClientChannel();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "MCP SDK client";
    }

    @Override
    public List<ChokePoint> chokePoints() {
        return List.of(new ChokePoint("io.modelcontextprotocol.client.McpAsyncClient", "tools/call",
                List.of(named("callTool").and(takesArguments(1))
                        .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$CallToolRequest")))),
                ClientCallAdvice.class, "tools/list",
                named("listTools").and(not(isStatic())).and(takesArgument(0, String.class))
                        .and(returns(named("reactor.core.publisher.Mono"))),
                ClientListAdvice.class));
    }

    @Override
    public CallChannel channel(Object client) {
        return channel;
    }
}
