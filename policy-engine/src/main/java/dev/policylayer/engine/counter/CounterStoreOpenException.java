package dev.policylayer.engine.counter;

/** A counter store could not be opened; the message names the file and what to do about it. */
public final class CounterStoreOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CounterStoreOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
