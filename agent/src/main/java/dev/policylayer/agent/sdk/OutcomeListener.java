package dev.policylayer.agent.sdk;

/** How an allowed tool call ended, as seen on its {@code Mono}. */
public interface OutcomeListener {
    /** A result that is not an error. */
    void succeeded();

    /** A result with {@code isError: true}. */
    void errorResult();

    /** An error signal, or the subscriber cancelled before the result. */
    void failed();
}
