package dev.policylayer.engine.decision;

import dev.policylayer.engine.approval.ApprovalSpec;
import java.util.Objects;

/**
 * What the engine decided for one call. Every part a listener needs travels as a value: the verdict, the
 * kind of rule, whether a limit was let through uncounted, the approval id.
 *
 * @param verdict     allow, deny, hidden or approval-required
 * @param kind        the kind of rule that decided
 * @param tool        the tool the call named
 * @param rule        the deciding rule as a JSON pointer into the policy document ({@code /tools/x/deny_if/0},
 *                    {@code /all_tools/limits/0}) or one of {@link #HIDDEN_RULE}, {@link #DEFAULT_DENY_RULE},
 *                    {@link #POLICY_ERROR_RULE}; for an allowed call the pointer of the tool's entry or
 *                    {@code (default allow)}
 * @param message     the human sentence the model reads after {@code [POLICY DENIED] }; names the tool and
 *                    the rule; for limits says when the window frees up. Never contains an argument value.
 * @param reservation quota held by an allowed call; {@link Reservation#NONE} otherwise
 * @param approvalId  the approval concerned: pending or denied for {@link Verdict#APPROVAL_REQUIRED} and
 *                    approval denials, the one whose use an allowed call took; else null
 * @param uncounted   for an allowed call that a limit could not count ({@code policylayer.fail=open}): why;
 *                    null otherwise
 * @param approval    for {@link Verdict#APPROVAL_REQUIRED}: how the approval is to be got (ask, hold, async);
 *                    null otherwise
 */
public record Decision(Verdict verdict, RuleKind kind, String tool, String rule, String message,
                       Reservation reservation, String approvalId, String uncounted, ApprovalSpec approval) {
    public static final String HIDDEN_RULE = "(hidden)";
    public static final String DEFAULT_DENY_RULE = "(default deny)";
    public static final String DEFAULT_ALLOW_RULE = "(default allow)";
    public static final String POLICY_ERROR_RULE = "(policy error)";

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        reservation = reservation == null ? Reservation.NONE : reservation;
    }

    public Decision(Verdict verdict, RuleKind kind, String tool, String rule, String message, Reservation reservation,
                    String approvalId, String uncounted) {
        this(verdict, kind, tool, rule, message, reservation, approvalId, uncounted, null);
    }

    /** The same decision, naming the approval it used (or that was given back, for a call refused after it). */
    public Decision usingApproval(String id) {
        return new Decision(verdict, kind, tool, rule, message, reservation, id, uncounted, approval);
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /** Whether a limit could not be counted and the call was let through anyway ({@code policylayer.fail=open}). */
    public boolean isUncounted() {
        return uncounted != null;
    }
}
