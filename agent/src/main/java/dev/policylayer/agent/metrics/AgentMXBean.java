package dev.policylayer.agent.metrics;

import java.util.List;
import java.util.Map;

/**
 * What {@code dev.policylayer:type=Agent} shows in JConsole, VisualVM or any JMX client. An MXBean, so the
 * maps arrive as open types every client can display.
 */
public interface AgentMXBean {
    long getCallsSeen();

    long getAllowed();

    long getDenied();

    /** Denials by the kind of rule: {@code action}, {@code deny_if}, {@code require}, {@code limits}, ... */
    Map<String, Long> getDeniedByReason();

    /** Calls seen per tool (the first {@value AgentMetrics#MAX_TOOLS} tool names; the rest under "(other)"). */
    Map<String, Long> getCallsByTool();

    /** Denials per tool, named as in {@link #getCallsByTool()}. */
    Map<String, Long> getDeniedByTool();

    /**
     * Calls seen per grant label (what a caller's grant is named in the grants file, never its token or header
     * value); calls of a caller without a grant under "(no grant)".
     */
    Map<String, Long> getCallsByGrant();

    /** Denials per grant label, named as in {@link #getCallsByGrant()}. */
    Map<String, Long> getDeniedByGrant();

    /** Where server-side callers' grants come from: {@code static}, {@code principal}, {@code bearer}, {@code header:<Name>}. */
    String getIdentity();

    /** The grants file in force, or "(none)". */
    String getGrantsSource();

    String getGrantsHash();

    String getPolicySource();

    String getPolicyHash();

    /** When the policy in force was loaded, ISO-8601. */
    String getPolicyLoadedAt();

    long getPolicyReloads();

    long getPolicyReloadsRejected();

    /** The SDK classes instrumented so far, with their class loader. */
    List<String> getChokePoints();

    /** Audit lines dropped because the audit queue was full (0 without an audit log). */
    long getAuditLinesDropped();
}
