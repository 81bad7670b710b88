package dev.policylayer.engine.policy;

/** Whose calls one counter counts together. */
public enum Scope {
    /** Everyone sharing the counter store (every JVM on the counter file). */
    GLOBAL,
    /** This process's grant ({@code policylayer.grant}); the default. */
    GRANT,
    /** One MCP session (server side) or client instance (client side). */
    SESSION,
    /** Each tool separately (useful under {@code all_tools}). */
    TOOL
}
