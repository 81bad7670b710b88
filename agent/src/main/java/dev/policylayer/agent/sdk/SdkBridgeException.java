package dev.policylayer.agent.sdk;

/** The SDK in this class loader does not have what the agent expected (a version we have not seen). */
public final class SdkBridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SdkBridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
