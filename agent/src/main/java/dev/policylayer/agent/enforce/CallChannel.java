package dev.policylayer.agent.enforce;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.engine.decision.Reservation;

/** How a decision goes back into the instrumented method: a denial it returns, or a token that settles quota. */
interface CallChannel {

    /** The denial as the method's own return value. */
    Replacement deny(String text);

    /** The token the method's exit hands back, to keep or refund {@code reservation} with the call's outcome. */
    Object hold(Reservation reservation);
}
