package dev.policylayer.agent.caller;

/**
 * What a server-side call's caller presented, read from the request it came in on: a bearer token, a principal's
 * name or a header's value; or why there is none. A token or header value is a secret: {@link #toString()} never
 * shows it, and nothing but grant lookup reads {@link #value()}.
 *
 * @param value  the presented value, or null when there is none
 * @param absent why there is none (for the {@code (no grant)} denial), or null when there is a value
 */
public record Credential(String value, String absent) {
    /** The call did not come in on an HTTP request the agent saw (stdio, or a transport it does not capture). */
    public static final Credential NOT_HTTP = new Credential(null, "the call did not come in on an HTTP request the"
            + " agent can read (stdio, WebFlux, or a request that began before the agent attached)");

    public static Credential of(String value) {
        return new Credential(value, null);
    }

    public static Credential missing(String why) {
        return new Credential(null, why);
    }

    public boolean present() {
        return value != null;
    }

    @Override
    public String toString() {
        return value == null ? "Credential[absent: " + absent + "]" : "Credential[presented]";
    }
}
