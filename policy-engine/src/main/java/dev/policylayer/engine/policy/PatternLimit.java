package dev.policylayer.engine.policy;

/**
 * A limit set by a {@code policylayer.limit.<tool>} property: it counts the calls of the tools the pattern
 * matches without listing them (a limit never allows a tool that the policy would otherwise deny).
 */
public record PatternLimit(ToolNamePattern tools, Limit limit) {
}
