package dev.policylayer.agent.caller;

/**
 * Reads what identifies a caller from one library's request object (a servlet request), while that request is in
 * flight on this thread. Implemented in the library's integration folder; the agent's core knows no request type.
 */
public interface RequestReader {
    /** The name of the principal the application authenticated for the request, or null. */
    String principal(Object request);

    /** The value of the request's header {@code name} (the first, if repeated), or null. */
    String header(Object request, String name);
}
