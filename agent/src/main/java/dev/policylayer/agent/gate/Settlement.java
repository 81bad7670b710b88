package dev.policylayer.agent.gate;

import dev.policylayer.engine.decision.Reservation;

/**
 * An allowed call on its way through the instrumented method: the quota it holds, kept or given back with the
 * call's outcome, and what the integration needs to watch that outcome. The token the enter advice hands to the
 * exit advice.
 */
public final class Settlement {
    private final Reservation reservation;
    private final CallChannel channel;
    private final Object self;

    Settlement(Reservation reservation, CallChannel channel, Object self) {
        this.reservation = reservation;
        this.channel = channel;
        this.self = self;
    }

    CallChannel channel() {
        return channel;
    }

    Object self() {
        return self;
    }

    /** Whether there is quota to settle at all (a call without limits has none). */
    public boolean holdsQuota() {
        return reservation != Reservation.NONE;
    }

    /** A result that is not an error: the quota stays spent. */
    public void succeeded() {
        reservation.commit();
    }

    /** A result that says the tool failed ({@code isError}): limits with {@code refund_on_error} give back. */
    public void errorResult() {
        reservation.refundErrorResult();
    }

    /** An exception, an error signal, or a cancellation: everything is given back. */
    public void failed() {
        reservation.refund();
    }
}
