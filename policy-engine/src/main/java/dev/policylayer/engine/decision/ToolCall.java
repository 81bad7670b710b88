package dev.policylayer.engine.decision;

import java.util.Map;
import java.util.Objects;

/**
 * One tool call as the engine sees it.
 *
 * @param tool      the tool name exactly as sent (no case folding or normalisation: names match exactly)
 * @param arguments the call's arguments as plain JSON values ({@code Map}, {@code List}, {@code String},
 *                  {@code Number}, {@code Boolean}, {@code null}); never null, empty when absent
 * @param side      client or server side
 * @param session   the MCP session (server) or client instance (client) the call belongs to
 * @param grant     whose {@code grant}-scoped counters the call counts against; null for the engine's default
 */
public record ToolCall(String tool, Map<String, ?> arguments, Side side, SessionRef session, String grant) {
    public ToolCall {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(side, "side");
        arguments = arguments == null ? Map.of() : arguments;
        session = session == null ? SessionRef.NONE : session;
    }

    /** A call of the engine's default grant. */
    public ToolCall(String tool, Map<String, ?> arguments, Side side, String session) {
        this(tool, arguments, side, SessionRef.of(session), null);
    }
}
