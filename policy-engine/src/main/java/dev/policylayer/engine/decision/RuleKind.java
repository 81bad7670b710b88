package dev.policylayer.engine.decision;

import java.util.Locale;

/**
 * What kind of rule decided a call, as a value: the audit, the metrics and the flight recorder count and show
 * it without reading it back out of the rule's JSON pointer (a tool name may be anything, pointers too).
 */
public enum RuleKind {
    /** {@code tools.<name>.action: deny}. */
    ACTION,
    /** A {@code require} condition failed. */
    REQUIRE,
    /** A {@code deny_if} condition held. */
    DENY_IF,
    /** A limit was reached, or could not be counted. */
    LIMITS,
    /** The tool is in {@code hide}. */
    HIDDEN,
    /** {@code default: deny} and the tool is not listed. */
    DEFAULT_DENY,
    /** {@code action: require_approval}. */
    APPROVAL,
    /** The policy could not be loaded or evaluated (fail closed). */
    POLICY_ERROR,
    /** Allowed by the tool's own entry. */
    TOOL_ENTRY,
    /** Allowed by {@code default: allow}. */
    DEFAULT_ALLOW,
    /** The call itself could not be read (no tool name, arguments that are not an object). Set by the agent. */
    MALFORMED,
    /** The agent could not read or decide the call (an SDK shape it does not know). Set by the agent. */
    AGENT_ERROR,
    /** The agent has not started, or could not start. Set by the agent. */
    AGENT_STARTING,
    /** The server-side caller could not be identified, or no grant recognises it. Set by the agent. */
    NO_GRANT,
    /** No policy is in force and {@code policylayer.fail=open}. Set by the agent. */
    NO_POLICY;

    /** The lower-case tag the audit and JMX show: {@code deny_if}, {@code default_deny}, ... */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
