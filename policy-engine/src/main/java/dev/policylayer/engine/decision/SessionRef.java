package dev.policylayer.engine.decision;

/**
 * The MCP session a call came through, as far as the caller could tell: a session id, no session at all (a
 * stateless server: {@code session}-scoped limits count per grant, as documented), or a session that exists
 * but could not be read. The last one is not the same as none: a {@code session}-scoped limit cannot be
 * counted for it, so the call is denied with the reason rather than counted with the whole grant.
 *
 * @param id         the session id, or null
 * @param unreadable why the session could not be read, or null
 */
public record SessionRef(String id, String unreadable) {
    /** A call that has no session (stateless server, oldest SDKs). */
    public static final SessionRef NONE = new SessionRef(null, null);

    public static SessionRef of(String id) {
        return id == null ? NONE : new SessionRef(id, null);
    }

    public static SessionRef unreadable(String why) {
        return new SessionRef(null, why == null ? "unknown reason" : why);
    }

    public boolean isUnreadable() {
        return unreadable != null;
    }
}
