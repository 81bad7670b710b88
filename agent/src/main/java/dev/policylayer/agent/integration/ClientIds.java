package dev.policylayer.agent.integration;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The id a client instance's calls carry as their session ({@code client-1}, {@code client-2}, ...): a client is
 * client side's nearest thing to a session, so {@code session}-scoped limits count per client instance.
 */
public final class ClientIds {
    private static final AtomicLong NEXT = new AtomicLong();
    private static final PerInstance<String> IDS = new PerInstance<>(client -> "client-" + NEXT.incrementAndGet());

    private ClientIds() {
    }

    public static String of(Object client) {
        return IDS.of(client);
    }
}
