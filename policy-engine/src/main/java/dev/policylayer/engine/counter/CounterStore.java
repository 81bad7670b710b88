package dev.policylayer.engine.counter;

/**
 * Where counters live. Implementations must be safe for many threads (and, for a shared file, many
 * processes) without a lock on the hot path, and must never throw from {@link #tryAcquire}: a store that
 * cannot count answers {@link Acquisition#failed}, and the engine denies.
 */
public interface CounterStore extends AutoCloseable {

    /**
     * Adds {@code amount} units to counter {@code key} if the window would then hold no more than
     * {@code spec.max()}; otherwise adds nothing.
     *
     * @param key    the full counter key (counter name and scope identity), any characters
     * @param spec   window, max and algorithm; one key is always used with the same spec
     * @param amount units to add, greater than zero
     */
    Acquisition tryAcquire(String key, CounterSpec spec, long amount);

    /**
     * Gives back an amount that {@link #tryAcquire} granted with {@code ticket}. Never drives the counter
     * below zero; a window that has already expired is left alone.
     */
    void release(String key, CounterSpec spec, long amount, long ticket);

    /** The amount currently counted in the window ending now, in units (for CLI and tests). */
    long current(String key, CounterSpec spec);

    @Override
    void close();
}
