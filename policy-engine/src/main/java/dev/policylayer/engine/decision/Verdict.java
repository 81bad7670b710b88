package dev.policylayer.engine.decision;

/** The outcome of one decision. Only {@link #ALLOW} lets the tool run. */
public enum Verdict {
    ALLOW,
    DENY,
    /** The tool is in {@code hide}: left out of tools/list and denied when called by name. */
    HIDDEN,
    /** {@code action: require_approval}: the call does not run; the caller gets an approval id. */
    APPROVAL_REQUIRED
}
