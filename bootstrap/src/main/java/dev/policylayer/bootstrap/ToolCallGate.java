package dev.policylayer.bootstrap;

/**
 * The static entry points every integration's inlined advice calls, with its integration id. Lives on the boot
 * class path so that every class loader can see it; holds nothing but the agent's delegate.
 *
 * <p>Closed by default: without a delegate, or when the delegate fails in any way (an {@code Error} included), a
 * tool call does not run; it is refused with {@link ToolCallRefused}. Only the delegate lets calls through, and it
 * is installed by the agent before any advice exists. A tools/list is left as it is when filtering fails (hiding
 * is not running), and a settlement that fails leaves the quota spent (the safe side).
 */
public final class ToolCallGate {
    private static final String NOT_RUNNING = "[POLICY DENIED] the PolicyLayer agent is not running in this JVM,"
            + " so this call was refused";
    private static volatile GateDelegate delegate;

    private ToolCallGate() {
    }

    /** Called by the agent at start-up, before it installs any advice. */
    public static void install(GateDelegate installed) {
        delegate = installed;
    }

    /** A call enters an instrumented method: see {@link GateDelegate#enter}. Never throws. */
    public static Object enter(String integration, Object self, Object[] arguments) {
        GateDelegate d = delegate;
        if (d == null) {
            return Replacement.throwing(new ToolCallRefused(NOT_RUNNING));
        }
        try {
            return d.enter(integration, self, arguments);
        } catch (Throwable failure) {
            return refused(failure);
        }
    }

    /**
     * The instrumented method is done: the replacement's value when the call was denied (or its exception thrown),
     * else what the method returned, settled.
     */
    public static Object exit(Object entered, Object returned, Throwable thrown) {
        if (entered instanceof Replacement replacement) {
            return replacement.value();
        }
        GateDelegate d = delegate;
        if (entered == null || d == null) {
            return returned;
        }
        try {
            return d.exit(entered, returned, thrown);
        } catch (Throwable failure) {
            return returned; // the quota stays spent: the safe side
        }
    }

    /** A tools/list result on its way back: hidden tools removed. */
    public static Object list(String integration, Object self, Object returned) {
        GateDelegate d = delegate;
        if (d == null || returned == null) {
            return returned;
        }
        try {
            return d.list(integration, self, returned);
        } catch (Throwable failure) {
            return returned;
        }
    }

    /**
     * A request that may carry tool calls enters (a servlet's {@code service}): the agent notes it for this thread,
     * so a call's decision can read who sent it. Returns what {@link #requestExited} hands back. Never throws: a
     * request the agent cannot note carries no caller, and its calls are denied {@code (no grant)} where a caller
     * is needed.
     */
    public static Object requestEntered(String integration, Object request) {
        GateDelegate d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.requestEntered(integration, request);
        } catch (Throwable failure) {
            return null;
        }
    }

    /** The request {@link #requestEntered} noted is done. Never throws. */
    public static void requestExited(String integration, Object entered) {
        GateDelegate d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.requestExited(integration, entered);
        } catch (Throwable ignored) {
            // nothing to undo that the next requestEntered on this thread does not replace
        }
    }

    private static Replacement refused(Throwable failure) {
        try {
            return Replacement.throwing(new ToolCallRefused("[POLICY DENIED] the policy agent could not check this"
                    + " call, so it was refused (" + failure.getClass().getName() + ")"));
        } catch (Throwable evenThat) {
            return Replacement.throwing(new ToolCallRefused(NOT_RUNNING));
        }
    }
}
