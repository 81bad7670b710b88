package dev.policylayer.agent.integration.mcpsdk.server;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.policylayer.agent.gate.CallChannel;
import dev.policylayer.agent.integration.ChokePoint;
import dev.policylayer.agent.integration.Integration;
import dev.policylayer.agent.log.AgentLog;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The MCP Java SDK's server, every release from 0.8 to 2.1, every transport.
 *
 * <p>The private synthetic lambda behind {@code toolsCallRequestHandler()} (and its tools/list twin) is the one
 * method every transport's tools/call reaches: stdio, SSE, streamable HTTP, and the stateless server. Its number
 * drifts between releases, so it is matched by name prefix and shape (not static, returns {@code Mono}, last
 * parameter the raw {@code Object} params), which picks exactly one method per class in every release. In 0.8 and
 * 0.9 it lives in the inner classes {@code $AsyncServerImpl} and {@code $LegacyAsyncServer}.
 */
public final class McpSdkServer implements Integration {
    /** The id the advice passes to the gate. */
    public static final String ID = "mcp-sdk-server";
    static final String CALL_LAMBDA = "lambda$toolsCallRequestHandler$";
    private static final String LIST_LAMBDA = "lambda$toolsListRequestHandler$";
    private static final List<String> TYPES = List.of(
            "io.modelcontextprotocol.server.McpAsyncServer",
            "io.modelcontextprotocol.server.McpAsyncServer$AsyncServerImpl",
            "io.modelcontextprotocol.server.McpAsyncServer$LegacyAsyncServer",
            "io.modelcontextprotocol.server.McpStatelessAsyncServer");

    private static final ElementMatcher.Junction<MethodDescription> HANDLER_SHAPE =
            returns(named("reactor.core.publisher.Mono")).and(not(isStatic()))
                    .and(takesArguments(2).and(takesArgument(1, Object.class))
                            .or(takesArguments(1).and(takesArgument(0, Object.class))));
    private static final ElementMatcher.Junction<MethodDescription> CALL = nameStartsWith(CALL_LAMBDA)
            .and(HANDLER_SHAPE);
    private static final ElementMatcher.Junction<MethodDescription> LIST = nameStartsWith(LIST_LAMBDA)
            .and(HANDLER_SHAPE);

    private final ListChanged listChanged = new ListChanged();
    private final ServerChannel channel = new ServerChannel(listChanged);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "MCP SDK server";
    }

    @Override
    public List<ChokePoint> chokePoints() {
        return TYPES.stream().map(type -> new ChokePoint(type, "tools/call", List.of(CALL), ServerCallAdvice.class,
                "tools/list", LIST, ServerListAdvice.class)).toList();
    }

    @Override
    public CallChannel channel(Object server) {
        return channel;
    }

    @Override
    public void hideListChanged() {
        int[] told = listChanged.announceAll();
        if (told[0] + told[1] > 0) {
            AgentLog.info("the hide list changed: told the clients of " + told[0] + " server(s) to list tools again"
                    + (told[1] == 0 ? "" : "; " + told[1] + " more once their calls in flight are answered"));
        }
    }
}
