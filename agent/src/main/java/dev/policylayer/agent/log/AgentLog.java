package dev.policylayer.agent.log;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only voice: stderr, every line prefixed {@code [policylayer] }. Never stdout (a stdio MCP
 * server speaks JSON-RPC there), never an argument value. Errors that could repeat on every call are logged
 * once per kind, so a broken SDK version cannot flood the host's logs.
 */
public final class AgentLog {
    private static final String PREFIX = "[policylayer] ";
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    /** Captured at start-up: an application that later swaps System.err does not silence or redirect us. */
    private static volatile PrintStream err = System.err;

    private AgentLog() {
    }

    public static void info(String message) {
        err.println(PREFIX + message);
    }

    public static void warn(String message) {
        err.println(PREFIX + "WARNING: " + message);
    }

    public static void error(String message) {
        err.println(PREFIX + "ERROR: " + message);
    }

    /** Logs {@code message} the first time {@code kind} is seen, and never again. */
    public static void errorOnce(String kind, String message, Throwable cause) {
        if (ONCE.add(kind)) {
            error(message + (cause == null ? "" : " (" + cause + ")") + " [logged once]");
        }
    }

    public static void warnOnce(String kind, String message) {
        if (ONCE.add(kind)) {
            warn(message + " [logged once]");
        }
    }
}
