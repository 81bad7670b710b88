package dev.policylayer.bootstrap;

/**
 * Thrown out of an instrumented method when the call is denied and the agent could not build the library's own
 * denial (an unknown SDK shape, a failure inside the agent). The library turns it into an error response, as it
 * would any exception of a tool: the call never runs. Its message starts {@code [POLICY DENIED] }.
 */
public final class ToolCallRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToolCallRefused(String message) {
        super(message, null, false, false);
    }
}
