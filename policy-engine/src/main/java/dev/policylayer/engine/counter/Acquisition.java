package dev.policylayer.engine.counter;

/**
 * The answer to one {@link CounterStore#tryAcquire}.
 *
 * @param granted          whether the amount was added
 * @param retryAfterMillis when refused: the time until enough of the window has expired for this amount
 *                         to fit (0 when it never will, e.g. amount larger than max); 0 when granted
 * @param ticket           when granted: what {@link CounterStore#release} needs to give the amount back
 *                         into the same window slot; opaque to callers
 * @param failure          when refused because the store could not count (capacity reached, file
 *                         unreadable): a sentence saying why; null for an ordinary limit refusal
 */
public record Acquisition(boolean granted, long retryAfterMillis, long ticket, String failure) {
    public static Acquisition granted(long ticket) {
        return new Acquisition(true, 0, ticket, null);
    }

    public static Acquisition refused(long retryAfterMillis) {
        return new Acquisition(false, retryAfterMillis, 0, null);
    }

    /** Refused because the store itself could not count: fail closed. */
    public static Acquisition failed(String why) {
        return new Acquisition(false, 0, 0, why);
    }
}
