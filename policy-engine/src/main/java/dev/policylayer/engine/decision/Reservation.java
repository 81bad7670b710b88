package dev.policylayer.engine.decision;

/**
 * Quota reserved for an allowed call. Exactly one of {@link #commit()} or {@link #refund()} takes effect;
 * later calls are ignored, so a refund can never free more than was reserved.
 */
public interface Reservation {
    /** The call completed; the quota stays spent. */
    void commit();

    /** The call failed; give the quota back (never below zero, never more than reserved). */
    void refund();

    /**
     * The tool answered with an {@code isError} result: give back the quota of the limits that refund on
     * error ({@code refund_on_error}, true by default) and keep the rest spent.
     */
    default void refundErrorResult() {
        refund();
    }

    /** A reservation that holds nothing (no limits applied, or the call was not allowed). */
    Reservation NONE = new Reservation() {
        @Override
        public void commit() {
        }

        @Override
        public void refund() {
        }

        @Override
        public String toString() {
            return "Reservation.NONE";
        }
    };
}
