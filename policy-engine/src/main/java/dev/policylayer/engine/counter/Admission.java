package dev.policylayer.engine.counter;

/**
 * The answer to one {@link CounterStore#reserve}: every entry of the batch was reserved, or none was.
 *
 * @param outcome          granted, refused by a limit, or failed because the store could not count
 * @param index            the entry that refused or failed; -1 when granted
 * @param retryAfterMillis when refused: the time until that entry's window has room for its amount (0 when it
 *                         never will, e.g. an amount larger than max)
 * @param failure          when failed: a sentence saying why the store could not count; null otherwise
 */
public record Admission(Outcome outcome, int index, long retryAfterMillis, String failure) {
    /** The shared answer for a granted batch: granting allocates nothing. */
    public static final Admission GRANTED = new Admission(Outcome.GRANTED, -1, 0, null);

    public enum Outcome {
        GRANTED,
        /** A limit is reached: an ordinary denial. */
        REFUSED,
        /** The store could not count (unreachable, damaged, full): fail closed, or open if the user chose so. */
        FAILED
    }

    public static Admission refused(int index, long retryAfterMillis) {
        return new Admission(Outcome.REFUSED, index, retryAfterMillis, null);
    }

    public static Admission failed(int index, String why) {
        return new Admission(Outcome.FAILED, index, 0, why);
    }

    public boolean granted() {
        return outcome == Outcome.GRANTED;
    }
}
