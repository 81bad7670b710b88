package dev.policylayer.agent.caller;

/**
 * The HTTP request each thread is serving, as the integrations that see requests enter (a servlet's
 * {@code service}) record it. The MCP SDK's servlet transports run the tools/call handler on the request's own
 * thread, inside {@code service}, so the call's decision reads its caller from here. Only a reference is kept, and
 * only while the request is in flight: nothing is read from a request that is not a tool call's.
 */
public final class RequestsInFlight {
    /** What {@link #enter} returns when no request was in flight on the thread before. */
    private static final Object NONE = new Object();

    /**
     * The request a thread serves now: one per thread, reused from request to request, so noting a request
     * allocates nothing (only a nested one, a forward, keeps the outer one aside).
     */
    private static final class Slot {
        RequestReader reader;
        Object request;
    }

    private record Outer(RequestReader reader, Object request) {
    }

    private final ThreadLocal<Slot> current = ThreadLocal.withInitial(Slot::new);

    /** A request is now in flight on this thread; returns what {@link #exit} restores (a forward nests). */
    public Object enter(RequestReader reader, Object request) {
        Slot slot = current.get();
        Object outer = slot.request == null ? NONE : new Outer(slot.reader, slot.request);
        slot.reader = reader;
        slot.request = request;
        return outer;
    }

    /** The request {@link #enter} recorded is done. */
    public void exit(Object outer) {
        Slot slot = current.get();
        if (outer instanceof Outer previous) {
            slot.reader = previous.reader;
            slot.request = previous.request;
        } else {
            slot.reader = null; // nothing of the request is kept once it is done
            slot.request = null;
        }
    }

    /** The principal of the request in flight on this thread. */
    Credential principal() {
        Slot now = current.get();
        if (now.request == null) {
            return Credential.NOT_HTTP;
        }
        String name = now.reader.principal(now.request);
        return name == null || name.isEmpty() ? Credential.missing("the request has no authenticated principal")
                : Credential.of(name);
    }

    /** The value of a header of the request in flight on this thread. */
    Credential header(String name) {
        Slot now = current.get();
        if (now.request == null) {
            return Credential.NOT_HTTP;
        }
        String value = now.reader.header(now.request, name);
        return value == null || value.isBlank() ? Credential.missing("the request has no " + name + " header")
                : Credential.of(value.trim());
    }

    /**
     * The {@code Authorization} header of the request in flight on this thread, as sent: the bearer token in it
     * is read by {@link BearerToken} only for a value not seen before (see {@link Callers}).
     */
    Credential authorization() {
        Slot now = current.get();
        if (now.request == null) {
            return Credential.NOT_HTTP;
        }
        String authorization = now.reader.header(now.request, "Authorization");
        return authorization == null || authorization.isBlank()
                ? Credential.missing("the request has no Authorization header") : Credential.of(authorization);
    }
}
