package dev.policylayer.agent.gate;

import dev.policylayer.engine.decision.SessionRef;
import java.util.Map;

/**
 * A tool call as an integration read it from the library's objects.
 *
 * @param name      the tool name, or null when the request has none (or not a string)
 * @param arguments the arguments object, empty when absent
 * @param session   the MCP session (server side) or client instance (client side) the call came through
 * @param malformed why the request cannot be decided (arguments that are not an object), else null
 */
public record ToolRequest(String name, Map<String, Object> arguments, SessionRef session, String malformed) {
    public ToolRequest {
        arguments = arguments == null ? Map.of() : arguments;
        session = session == null ? SessionRef.NONE : session;
    }

    /** The request with its session set (integrations read the name and arguments apart from the session). */
    public ToolRequest in(SessionRef session) {
        return new ToolRequest(name, arguments, session, malformed);
    }

    /** Reads the raw tools/call params of a JSON-RPC request ({@code name}, {@code arguments}). */
    @SuppressWarnings("unchecked")
    public static ToolRequest fromParams(Object params) {
        if (!(params instanceof Map<?, ?> map)) {
            return new ToolRequest(null, Map.of(), null, "the tools/call params are not an object");
        }
        Object name = map.get("name");
        return withArguments(name instanceof String s ? s : null, map.get("arguments"));
    }

    /** A request whose arguments are whatever the library handed over: an object, nothing, or something else. */
    @SuppressWarnings("unchecked")
    public static ToolRequest withArguments(String name, Object arguments) {
        if (arguments == null) {
            return new ToolRequest(name, Map.of(), null, null);
        }
        if (arguments instanceof Map<?, ?> map) {
            return new ToolRequest(name, (Map<String, Object>) map, null, null);
        }
        return new ToolRequest(name, Map.of(), null, "the tool's arguments are not an object");
    }
}
