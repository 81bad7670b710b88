package dev.policylayer.agent.enforce;

import dev.policylayer.agent.langchain4j.LangChain4jBridge;
import dev.policylayer.engine.decision.Reservation;

/**
 * Settles a synchronous framework call's quota when it returns: refunded when it threw, refunded as an
 * error result when the result says the tool failed, kept otherwise (also for {@code String} results,
 * which cannot say: the safe side).
 */
final class DirectSettlement {
    private final Reservation reservation;
    private final LangChain4jBridge bridge;

    DirectSettlement(Reservation reservation, LangChain4jBridge bridge) {
        this.reservation = reservation;
        this.bridge = bridge;
    }

    void settle(Object result, Throwable thrown) {
        if (thrown != null) {
            reservation.refund();
        } else if (bridge.isErrorResult(result)) {
            reservation.refundErrorResult();
        } else {
            reservation.commit();
        }
    }
}
