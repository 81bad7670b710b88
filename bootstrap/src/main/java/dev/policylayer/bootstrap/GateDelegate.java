package dev.policylayer.bootstrap;

/**
 * What the agent does at each choke point. Implemented by the agent (loaded by its own class loader) and
 * installed in {@link ToolCallGate} at start-up. JDK types only, because the callers are inlined into SDK
 * classes of any class loader. Implementations never throw: they deny (fail closed) instead.
 */
public interface GateDelegate {

    /**
     * A tools/call reached the server's handler.
     *
     * @param server  the server instance ({@code McpAsyncServer} or a variant)
     * @param context the exchange or transport context (null on the oldest SDKs)
     * @param params  the raw JSON-RPC params ({@code name}, {@code arguments})
     * @return a {@link Replacement} to answer without running the tool, or a token for
     *         {@link #afterCall} (null when there is nothing to settle)
     */
    Object onServerCall(Object server, Object context, Object params);

    /** A client is about to send tools/call; same contract as {@link #onServerCall}. */
    Object onClientCall(Object client, Object request);

    /**
     * The tool call's {@code Mono} (the handler's, or the client's) for an allowed call: returns it wrapped
     * so the quota held by {@code token} is committed or refunded with the outcome.
     */
    Object afterCall(Object token, Object mono);

    /** The call's method threw before returning a {@code Mono}: give the token's quota back. */
    void callFailed(Object token, Throwable thrown);

    /** A tools/list result {@code Mono} (server or client side): returns it with hidden tools removed. */
    Object filterList(Object mono, Object owner);

    /**
     * A framework's own MCP client (LangChain4j's {@code DefaultMcpClient.executeTool}) is about to call a tool,
     * synchronously. Same contract as {@link #onServerCall}; a {@link Replacement} holds the method's own
     * return value (a denial as text or as the framework's result type).
     */
    Object onDirectCall(Object client, Object request);

    /** The synchronous call of {@link #onDirectCall} returned {@code result} or threw: settle the token. */
    void afterDirectCall(Object token, Object result, Throwable thrown);
}
