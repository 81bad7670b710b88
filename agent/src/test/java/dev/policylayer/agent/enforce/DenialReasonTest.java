package dev.policylayer.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.Verdict;
import org.junit.jupiter.api.Test;

/** The kind of rule a denial is counted under in the metrics and the audit. */
class DenialReasonTest {

    @Test
    void theKindIsReadByPositionSoAToolNameCannotPassForOne() {
        assertEquals("action", reason(Verdict.DENY, "/tools/require_review/action"));
        assertEquals("deny_if", reason(Verdict.DENY, "/tools/limits~1x/deny_if/0"));
        assertEquals("limits", reason(Verdict.DENY, "/all_tools/limits/1"));
        assertEquals("rate_limit", reason(Verdict.DENY, "/tools/search/rate_limit"));
        assertEquals("limits", reason(Verdict.DENY, "policylayer.limit.search"));
        assertEquals("default_deny", reason(Verdict.DENY, Decision.DEFAULT_DENY_RULE));
        assertEquals("hidden", reason(Verdict.HIDDEN, Decision.HIDDEN_RULE));
        assertEquals("approval", reason(Verdict.APPROVAL_REQUIRED, "/tools/wire/action"));
    }

    private static String reason(Verdict verdict, String rule) {
        return Enforcer.reason(new Decision(verdict, "t", rule, "m", Reservation.NONE, null));
    }
}
