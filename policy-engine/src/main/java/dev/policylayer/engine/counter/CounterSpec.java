package dev.policylayer.engine.counter;

/**
 * The shape of one counter: how long its window is, how much it may hold, how the window moves.
 * Amounts are in {@link CounterUnits} (exact decimals scaled to whole units).
 *
 * @param windowMillis window length, at least 1000 (one second)
 * @param max          the most that may be counted in a window, in units, greater than zero
 * @param algorithm    sliding or fixed
 */
public record CounterSpec(long windowMillis, long max, Algorithm algorithm) {
    public CounterSpec {
        if (windowMillis < 1000) {
            throw new IllegalArgumentException("window must be at least 1s, was " + windowMillis + "ms");
        }
        if (max <= 0) {
            throw new IllegalArgumentException("max must be greater than 0, was " + max);
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm must be given");
        }
    }
}
