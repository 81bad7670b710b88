package dev.policylayer.engine.predicate;

/**
 * What testing a predicate against a call found. The evaluator turns it into a verdict: {@code require}
 * passes only on {@link #HOLDS}; {@code deny_if} denies on {@link #HOLDS} and, failing closed, on
 * {@link #INCOMPARABLE}.
 */
public enum Result {
    HOLDS,
    DOES_NOT_HOLD,
    /** The path is not in the arguments (and the operator is not {@code exists false}). */
    MISSING,
    /** The value cannot be compared this way (a word under {@code gt}, an object under {@code regex}). */
    INCOMPARABLE
}
