package dev.policylayer.agent.integration;

/**
 * A library in this class loader does not have what the agent expected of it (a release the agent has not seen):
 * the call cannot be read or answered the usual way, and the gate denies it by the next way it has.
 */
public final class UnknownShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownShapeException(String message, Throwable cause) {
        super(message, cause);
    }
}
