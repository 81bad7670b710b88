package dev.policylayer.agent.metrics;

import dev.policylayer.agent.gate.DecisionRecord;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One decision on a flight recording's timeline. Off unless a recording enables it
 * ({@code dev.policylayer.Decision#enabled=true}), so a recording the user did not set up for us costs
 * nothing. Like the audit log it carries argument keys, never values.
 */
@Name("dev.policylayer.Decision")
@Label("Tool Call Decision")
@Category({"PolicyLayer"})
@Description("A tools/call decided by the PolicyLayer agent")
@Enabled(false)
@StackTrace(false)
final class DecisionEvent extends Event {
    @Label("Side")
    String side;
    @Label("Tool")
    String tool;
    @Label("Verdict")
    String verdict;
    @Label("Rule")
    String rule;
    @Label("Reason")
    String reason;
    @Label("Enforced")
    boolean enforced;
    @Label("Session")
    String session;
    @Label("Grant")
    String grant;
    @Label("Argument Keys")
    String argumentKeys;
    @Label("Policy Hash")
    String policyHash;
    @Label("Decision Latency")
    @Timespan(Timespan.NANOSECONDS)
    long latency;

    /** Commits {@code decision} as an event if a recording has the event enabled. */
    static void commit(DecisionRecord decision) {
        DecisionEvent event = new DecisionEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.side = decision.side().tag();
        event.tool = decision.tool();
        event.verdict = decision.verdictTag();
        event.rule = decision.rule();
        event.reason = decision.kind().tag();
        event.enforced = decision.enforced();
        event.session = decision.session();
        event.grant = decision.grant();
        event.argumentKeys = String.join(",", decision.argumentKeys());
        event.policyHash = decision.policyHash();
        event.latency = decision.latencyNanos();
        event.commit();
    }
}
