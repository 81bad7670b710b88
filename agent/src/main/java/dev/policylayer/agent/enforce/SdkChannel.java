package dev.policylayer.agent.enforce;

import dev.policylayer.agent.sdk.SdkBridge;
import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.Side;

/** The MCP SDK's choke points: answers are {@code Mono}s of a {@code CallToolResult}. */
record SdkChannel(SdkBridge sdk, Side side) implements CallChannel {

    /** Server side from where a tool would answer (see {@link SdkBridge#monoFromWorker}), client side at once. */
    @Override
    public Replacement deny(String text) {
        Object result = sdk.errorResult(text);
        return new Replacement(side == Side.SERVER ? sdk.monoFromWorker(result) : sdk.monoJust(result));
    }

    @Override
    public Object hold(Reservation reservation) {
        return new Settlement(reservation, sdk);
    }
}
