package dev.policylayer.agent.enforce;

import dev.policylayer.agent.sdk.OutcomeListener;
import dev.policylayer.agent.sdk.SdkBridge;
import dev.policylayer.engine.decision.Reservation;

/** Settles an allowed call's quota with the call's outcome: kept on success, given back on failure. */
final class Settlement implements OutcomeListener {
    private final Reservation reservation;
    private final SdkBridge sdk;

    Settlement(Reservation reservation, SdkBridge sdk) {
        this.reservation = reservation;
        this.sdk = sdk;
    }

    /** The bridge of the SDK that made the call, to watch its outcome with. */
    SdkBridge sdk() {
        return sdk;
    }

    @Override
    public void succeeded() {
        reservation.commit();
    }

    @Override
    public void errorResult() {
        reservation.refundErrorResult();
    }

    @Override
    public void failed() {
        reservation.refund();
    }
}
