package dev.policylayer.agent.gate;

import dev.policylayer.engine.decision.RuleKind;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * One decision as the audit log, the metrics and the flight recorder see it. Holds argument keys, never values:
 * nothing a tool was given can leak through observation. Names a caller chose (the tool, the keys) are bounded
 * and made printable ({@code Quoted}) before they get here.
 *
 * @param epochMillis  when the call was decided
 * @param side         client or server
 * @param tool         the tool name (bounded), or null when the call named none
 * @param verdict      allow, deny, hidden or approval required
 * @param kind         the kind of rule that decided
 * @param rule         the deciding rule (a JSON pointer, or {@code (default deny)} and the like)
 * @param message      the sentence the model reads (empty for an allowed call)
 * @param enforced     false in monitor mode, where a denial is recorded but the call still runs
 * @param session      the session (server side) or client instance the call came through, may be null
 * @param grant        whose grant-scoped counters the call counted against
 * @param argumentKeys the top-level argument keys, sorted (at most {@link #MAX_KEYS}, then a count)
 * @param policyHash   the hash of the policy that decided, or null when none was in force
 * @param latencyNanos how long the decision took
 * @param uncounted    why a limit went uncounted ({@code policylayer.fail=open}), else null
 * @param approvalId   the approval id of a call held for approval, else null
 */
public record DecisionRecord(long epochMillis, Side side, String tool, Verdict verdict, RuleKind kind, String rule,
                             String message, boolean enforced, String session, String grant,
                             List<String> argumentKeys, String policyHash, long latencyNanos, String uncounted,
                             String approvalId) {
    /** Keys listed per record; an object with more is summarised, so a hostile call cannot bloat the log. */
    public static final int MAX_KEYS = 64;

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /** {@code allow}, {@code deny}, {@code hidden}, {@code approval_required}. */
    public String verdictTag() {
        return verdict.name().toLowerCase(Locale.ROOT);
    }
}
