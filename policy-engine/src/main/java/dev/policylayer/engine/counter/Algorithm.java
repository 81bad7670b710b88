package dev.policylayer.engine.counter;

/** How a limit's window moves. */
public enum Algorithm {
    /** Never more than {@code max} in any interval of length {@code window} (the default). */
    SLIDING,
    /** Calendar-aligned UTC windows; up to 2 x {@code max} can pass across a boundary. */
    FIXED
}
