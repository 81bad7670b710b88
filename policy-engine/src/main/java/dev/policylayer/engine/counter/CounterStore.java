package dev.policylayer.engine.counter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where counters live: this JVM, a file every JVM on the host maps, or a remote store. The engine hands a store
 * all the limits of one call at once ({@link #reserve}): reserved all or none, so a remote store needs one round
 * trip, and a call refused by its third limit has consumed nothing of the first two.
 *
 * <p>Implementations must be safe for many threads (and, for a shared file, many processes), and never throw from
 * {@link #reserve} or {@link #release}: a store that cannot count answers {@link Admission.Outcome#FAILED} and the
 * engine denies (or, with {@code policylayer.fail=open}, lets the call through uncounted).
 */
public interface CounterStore extends AutoCloseable {

    /**
     * Adds each entry's amount to its counter if every counter's window then holds no more than its
     * {@code max}; otherwise adds nothing. Writes each entry's ticket into the batch when granted.
     */
    Admission reserve(CounterBatch batch);

    /**
     * {@link #reserve} without blocking the calling thread: a remote store answers when its reply arrives (or its
     * timeout passes), so a reactive server's event loop never waits for it. Stores in this JVM or host answer at
     * once.
     */
    default CompletionStage<Admission> reserveAsync(CounterBatch batch) {
        return CompletableFuture.completedFuture(reserve(batch));
    }

    /** Whether {@link #reserve} may wait on I/O (a remote store): the engine then prefers {@link #reserveAsync}. */
    default boolean remote() {
        return false;
    }

    /**
     * Gives back every entry of a batch that {@link #reserve} granted, using the tickets it wrote. Never drives a
     * counter below zero; a window that has already expired is left alone.
     */
    void release(CounterBatch batch);

    /** The amount currently counted in the window ending now, in units (for the CLI and tests). */
    long current(String key, CounterSpec spec);

    /** One counter alone: {@link #reserve} of a batch of one. */
    default Acquisition tryAcquire(String key, CounterSpec spec, long amount) {
        SingleCounter one = new SingleCounter(key, spec, amount, 0);
        Admission admission = reserve(one);
        return switch (admission.outcome()) {
            case GRANTED -> Acquisition.granted(one.ticket(0));
            case REFUSED -> Acquisition.refused(admission.retryAfterMillis());
            case FAILED -> Acquisition.failed(admission.failure());
        };
    }

    /** Gives back one counter's amount granted with {@code ticket}. */
    default void release(String key, CounterSpec spec, long amount, long ticket) {
        release(new SingleCounter(key, spec, amount, ticket));
    }

    @Override
    void close();
}
