package dev.policylayer.bootstrap;

/**
 * What the agent does at every choke point, whichever library it is in. Implemented by the agent (loaded by its
 * own class loader) and installed in {@link ToolCallGate} at start-up. JDK types only, because the callers are
 * inlined into library classes of any class loader.
 */
public interface GateDelegate {

    /**
     * A tool call reached an instrumented method.
     *
     * @param integration the id of the integration whose advice this is (see the agent's integration registry)
     * @param self        the instrumented object (server, client)
     * @param arguments   the method's arguments
     * @return a {@link Replacement} to answer without running the method, a token for {@link #exit} (the quota to
     *         settle with the outcome), or null to run the method with nothing to settle
     */
    Object enter(String integration, Object self, Object[] arguments);

    /**
     * The method returned {@code returned} or threw {@code thrown} after {@link #enter} handed out {@code token}:
     * settle it, and return what the method returns (the same value, or one wrapped to settle on its outcome).
     */
    Object exit(Object token, Object returned, Throwable thrown);

    /** A tools/list result (or the {@code Mono} of one): returns it with hidden tools removed. */
    Object list(String integration, Object self, Object returned);

    /**
     * A request that may carry tool calls entered an instrumented method on this thread (a servlet's
     * {@code service}); returns a token for {@link #requestExited}.
     */
    Object requestEntered(String integration, Object request);

    /** The request that {@link #requestEntered} returned {@code token} for is done. */
    void requestExited(String integration, Object token);
}
