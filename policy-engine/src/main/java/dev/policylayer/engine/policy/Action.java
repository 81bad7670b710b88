package dev.policylayer.engine.policy;

/** {@code tools.<name>.action}. */
public enum Action {
    /** The default for a listed tool: its rules decide. */
    ALLOW,
    /** Visible, but every call is blocked. */
    DENY,
    /** Calls do not run; the caller is told an approval is required. */
    REQUIRE_APPROVAL
}
