package dev.policylayer.bootstrap;

/**
 * The static entry points the inlined advice calls. Lives on the boot class path so every class loader can
 * see it; holds nothing but the agent's delegate. With no delegate installed every call passes untouched,
 * and nothing here ever throws into the instrumented method.
 */
public final class ToolCallGate {
    private static volatile GateDelegate delegate;

    private ToolCallGate() {
    }

    /** Called once by the agent at start-up. */
    public static void install(GateDelegate installed) {
        delegate = installed;
    }

    /** Server tools/call enter: the last argument is the raw params, the first (if two) the context. */
    public static Object serverCall(Object server, Object[] arguments) {
        GateDelegate d = delegate;
        if (d == null || arguments == null || arguments.length == 0) {
            return null;
        }
        try {
            Object context = arguments.length > 1 ? arguments[0] : null;
            return d.onServerCall(server, context, arguments[arguments.length - 1]);
        } catch (Throwable unexpected) {
            return null; // the delegate fails closed itself; a failure here must not break the host
        }
    }

    public static Object clientCall(Object client, Object request) {
        GateDelegate d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.onClientCall(client, request);
        } catch (Throwable unexpected) {
            return null;
        }
    }

    /**
     * Call exit: the replacement when the call was denied, else the returned {@code Mono}, wrapped to settle
     * the quota when a token was handed out.
     */
    public static Object afterCall(Object entered, Object returned, Throwable thrown) {
        if (entered instanceof Replacement replacement) {
            return replacement.value();
        }
        GateDelegate d = delegate;
        if (entered == null || d == null) {
            return returned;
        }
        try {
            if (thrown != null) {
                d.callFailed(entered, thrown);
                return returned;
            }
            return d.afterCall(entered, returned);
        } catch (Throwable unexpected) {
            return returned;
        }
    }

    public static Object filterList(Object returned, Object owner) {
        GateDelegate d = delegate;
        if (d == null || returned == null) {
            return returned;
        }
        try {
            return d.filterList(returned, owner);
        } catch (Throwable unexpected) {
            return returned;
        }
    }

    /** Framework client call enter (LangChain4j): see {@link GateDelegate#onDirectCall}. */
    public static Object directCall(Object client, Object request) {
        GateDelegate d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.onDirectCall(client, request);
        } catch (Throwable unexpected) {
            return null;
        }
    }

    /** Framework client call exit: the replacement when denied, else the result, after settling its quota. */
    public static Object afterDirectCall(Object entered, Object returned, Throwable thrown) {
        if (entered instanceof Replacement replacement) {
            return replacement.value();
        }
        GateDelegate d = delegate;
        if (entered != null && d != null) {
            try {
                d.afterDirectCall(entered, returned, thrown);
            } catch (Throwable unexpected) {
                // the quota stays spent: the safe side
            }
        }
        return returned;
    }
}
