package dev.policylayer.engine.decision;

/** Which end of the MCP conversation a decision is made on; an app that is both decides once per side. */
public enum Side {
    CLIENT,
    SERVER;

    /** The lower-case tag used in logs and audit lines. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
