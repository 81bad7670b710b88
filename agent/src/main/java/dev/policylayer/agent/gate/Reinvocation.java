package dev.policylayer.agent.gate;

import java.util.function.Supplier;

/**
 * A call decided later is run by invoking the instrumented method again; its advice must then let it through with
 * the settlement already made, not decide (and count) it a second time. The settlement travels to that nested
 * enter on the thread that re-invokes.
 */
public final class Reinvocation {
    private static final ThreadLocal<Settlement> DECIDED = new ThreadLocal<>();

    private Reinvocation() {
    }

    /** Runs {@code invocation} with {@code settlement} waiting for the method's enter advice. */
    public static Object run(Settlement settlement, Supplier<Object> invocation) {
        DECIDED.set(settlement);
        try {
            return invocation.get();
        } finally {
            DECIDED.remove();
        }
    }

    /** The settlement of a re-invoked call, taken (so nested calls are decided as usual), or null. */
    static Settlement take() {
        Settlement decided = DECIDED.get();
        if (decided != null) {
            DECIDED.remove();
        }
        return decided;
    }
}
