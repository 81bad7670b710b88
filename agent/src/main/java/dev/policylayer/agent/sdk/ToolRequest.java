package dev.policylayer.agent.sdk;

import java.util.Map;

/**
 * A tool call as read from the SDK's objects.
 *
 * @param name      the tool name, or null when the request has none (or not a string)
 * @param arguments the arguments object, empty when absent
 * @param malformed why the request cannot be decided (arguments that are not an object), else null
 */
public record ToolRequest(String name, Map<String, Object> arguments, String malformed) {
}
