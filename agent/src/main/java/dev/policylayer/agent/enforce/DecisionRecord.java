package dev.policylayer.agent.enforce;

import java.util.List;

/**
 * One decision as the audit log, the metrics and the flight recorder see it. Holds argument keys, never
 * values: nothing a tool was given can leak through observation.
 *
 * @param epochMillis  when the call was decided
 * @param side         {@code client} or {@code server}
 * @param tool         the tool name, or null when the call named none
 * @param verdict      {@code allow}, {@code deny}, {@code hidden} or {@code approval_required}
 * @param rule         the deciding rule (a JSON pointer, or {@code (default deny)} and the like)
 * @param reason       the kind of rule, for counting denials: {@code action}, {@code deny_if}, {@code limits}…
 * @param message      the sentence the model reads (empty for an allowed call)
 * @param enforced     false in monitor mode, where a denial is recorded but the call still runs
 * @param session      the session (server side) or client instance the call came through, may be null
 * @param argumentKeys the top-level argument keys, sorted (at most {@link #MAX_KEYS}, then a count)
 * @param policyHash   the hash of the policy that decided, or null when none was in force
 * @param latencyNanos how long the decision took
 */
public record DecisionRecord(long epochMillis, String side, String tool, String verdict, String rule, String reason,
                             String message, boolean enforced, String session, List<String> argumentKeys,
                             String policyHash, long latencyNanos) {
    /** Keys listed per record; an object with more is summarised, so a hostile call cannot bloat the log. */
    public static final int MAX_KEYS = 64;

    public boolean allowed() {
        return verdict.equals("allow");
    }
}
