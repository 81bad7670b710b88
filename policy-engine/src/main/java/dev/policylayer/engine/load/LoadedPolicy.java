package dev.policylayer.engine.load;

/**
 * A validated policy ready for the engine, with what a start-up line or audit record says about it.
 * Produced by {@code PolicyLoader.load(Settings)}.
 */
public interface LoadedPolicy {
    /** The validated model the engine decides by. */
    dev.policylayer.engine.policy.Policy policy();

    /** Where it came from: the file path, {@code inline policy}, or {@code system properties}. */
    String source();

    /** A stable hash of the effective policy (after the properties overlay), hex. */
    String hash();

    /** How many rules it holds: tool entries, hide entries and all_tools limits. */
    int ruleCount();

    /** Whether any limit exists, i.e. whether a counter store is needed at all. */
    boolean hasLimits();
}
