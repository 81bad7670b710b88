package dev.policylayer.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Where the MCP Java SDK is intercepted, for every release from 0.8 to 2.1.
 *
 * <p>Server: the private synthetic lambda behind {@code toolsCallRequestHandler()} (and its tools/list twin)
 * is the one method every transport's tools/call reaches: stdio, SSE, streamable HTTP, and the stateless
 * server. Its number drifts between releases, so it is matched by name prefix and shape (not static, returns
 * {@code Mono}, last parameter the raw {@code Object} params), which picks exactly one method per class in
 * every release. Client: {@code McpAsyncClient.callTool(CallToolRequest)} and {@code listTools(String[, Map])}.
 */
final class ChokePoints {
    static final String[] SERVER_TYPES = {
        "io.modelcontextprotocol.server.McpAsyncServer",
        "io.modelcontextprotocol.server.McpAsyncServer$AsyncServerImpl",
        "io.modelcontextprotocol.server.McpAsyncServer$LegacyAsyncServer",
        "io.modelcontextprotocol.server.McpStatelessAsyncServer",
    };
    static final String CLIENT_TYPE = "io.modelcontextprotocol.client.McpAsyncClient";
    /** LangChain4j's own MCP client (it does not use the MCP Java SDK). */
    static final String LANGCHAIN4J_CLIENT_TYPE = "dev.langchain4j.mcp.client.DefaultMcpClient";
    private static final String LANGCHAIN4J_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

    private static final ElementMatcher.Junction<MethodDescription> HANDLER_SHAPE =
            returns(named("reactor.core.publisher.Mono")).and(not(isStatic()))
                    .and(takesArguments(2).and(takesArgument(1, Object.class))
                            .or(takesArguments(1).and(takesArgument(0, Object.class))));

    static final ElementMatcher.Junction<MethodDescription> SERVER_CALL =
            nameStartsWith("lambda$toolsCallRequestHandler$").and(HANDLER_SHAPE);
    static final ElementMatcher.Junction<MethodDescription> SERVER_LIST =
            nameStartsWith("lambda$toolsListRequestHandler$").and(HANDLER_SHAPE);
    static final ElementMatcher.Junction<MethodDescription> CLIENT_CALL =
            named("callTool").and(takesArguments(1))
                    .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$CallToolRequest")));
    static final ElementMatcher.Junction<MethodDescription> CLIENT_LIST =
            named("listTools").and(not(isStatic())).and(takesArgument(0, String.class))
                    .and(returns(named("reactor.core.publisher.Mono")));

    /**
     * LangChain4j: from 1.11 {@code executeTool(request)} delegates to {@code executeTool(request, context)},
     * the leaf; before, the one-argument method is the leaf. The first of these a class declares is advised,
     * so each call is decided once.
     */
    static final List<ElementMatcher.Junction<MethodDescription>> LANGCHAIN4J_CALL = List.of(
            named("executeTool").and(takesArguments(2)).and(takesArgument(0, named(LANGCHAIN4J_REQUEST))),
            named("executeTool").and(takesArguments(1)).and(takesArgument(0, named(LANGCHAIN4J_REQUEST))));
    /** Both {@code listTools()} and, from 1.11, {@code listTools(context)}: filtering twice changes nothing. */
    static final ElementMatcher.Junction<MethodDescription> LANGCHAIN4J_LIST =
            named("listTools").and(not(isStatic())).and(returns(named("java.util.List")));

    static final ElementMatcher.Junction<TypeDescription> SERVERS = namedOneOf(SERVER_TYPES);
    static final ElementMatcher.Junction<TypeDescription> CLIENTS = named(CLIENT_TYPE);
    static final ElementMatcher.Junction<TypeDescription> LANGCHAIN4J_CLIENTS = named(LANGCHAIN4J_CLIENT_TYPE);

    private ChokePoints() {
    }
}
