package dev.policylayer.engine.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits as a caller meets them: max calls pass, the next is told when to come back; failures give back. */
class LimitDecisionsTest {

    @Test
    void maxCallsPassThenTheNextIsToldWhenTheWindowFrees() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "tools":{"search":{"rate_limit":{"max":3,"window":60}}}}""")) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Verdict.ALLOW, f.call("search").verdict());
                f.clock.advance(1_000);
            }
            Decision refused = f.call("search");
            assertEquals(Verdict.DENY, refused.verdict());
            assertEquals("/tools/search/rate_limit", refused.rule());
            assertTrue(refused.message().startsWith("tool \"search\" denied by /tools/search/rate_limit: 3 calls per"
                    + " 60s reached; next call allowed in "), refused.message());
            int seconds = Integer.parseInt(refused.message().replaceAll(".*allowed in (\\d+)s$", "$1"));
            assertTrue(seconds >= 57 && seconds <= 61, refused.message());
            f.clock.advance(seconds * 1000L);
            assertEquals(Verdict.ALLOW, f.call("search").verdict(), "allowed again when it said so");
        }
    }

    @Test
    void aDeniedCallConsumesNoQuota() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "all_tools":{"limits":[{"counter":"calls","window":"minute","max":2}]},
                 "tools":{"pay":{"deny_if":[{"path":"args.amount","op":"gt","value":100}],
                                 "limits":[{"counter":"pays","window":"minute","max":1}]}}}""")) {
            assertEquals(Verdict.DENY, f.call("pay", Map.of("amount", 500)).verdict());
            assertEquals(Verdict.ALLOW, f.call("pay", Map.of("amount", 5)).verdict());
            Decision secondLimit = f.call("pay", Map.of("amount", 5));
            assertEquals("/tools/pay/limits/0", secondLimit.rule(), "refused by the tool's own limit");
            // The all_tools counter was acquired and then given back for the refused call: one call left.
            assertEquals(Verdict.ALLOW, f.call("other").verdict());
            assertEquals("/all_tools/limits/0", f.call("other").rule());
        }
    }

    @Test
    void refundsGiveBackOnceAndRespectRefundOnError() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "tools":{"flaky":{"limits":[{"counter":"a","window":"minute","max":1},
                                             {"counter":"b","window":"minute","max":1,"refund_on_error":false}]}}}""")) {
            Decision first = f.call("flaky");
            assertEquals(Verdict.ALLOW, first.verdict());
            first.reservation().refund();
            first.reservation().refund();
            first.reservation().refundErrorResult();
            Decision second = f.call("flaky");
            assertEquals(Verdict.ALLOW, second.verdict(), "an exception gives back every limit");
            second.reservation().refundErrorResult();
            Decision third = f.call("flaky");
            assertEquals("/tools/flaky/limits/1", third.rule(),
                    "an isError result gives back only the limits that refund on error");
        }
    }

    @Test
    void aCommittedReservationCannotBeRefundedLater() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow","tools":{"t":{"rate_limit":{"max":1,"window":60}}}}""")) {
            Decision d = f.call("t");
            d.reservation().commit();
            d.reservation().refund();
            assertEquals(Verdict.DENY, f.call("t").verdict());
        }
    }

    @Test
    void budgetsCountTheArgumentExactly() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "tools":{"refund":{"limits":[{"counter":"total","window":"day","max":100.50,
                                               "increment_from":"args.amount"}]}}}""")) {
            assertEquals(Verdict.ALLOW, f.call("refund", Map.of("amount", "60.25")).verdict());
            assertEquals(Verdict.ALLOW, f.call("refund", Map.of("amount", 40.25)).verdict());
            Decision over = f.call("refund", Map.of("amount", 0.01));
            assertEquals(Verdict.DENY, over.verdict(), "100.50 spent exactly; a cent more is over");
            assertTrue(over.message().contains("100.5 of args.amount per 1d reached"), over.message());
            assertEquals(Verdict.DENY, f.call("refund", Map.of()).verdict(), "a missing amount denies");
            assertEquals(Verdict.DENY, f.call("refund", Map.of("amount", "lots")).verdict());
            assertEquals(Verdict.DENY, f.call("refund", Map.of("amount", -5)).verdict(), "no negative spending");
        }
    }

    @Test
    void budgetAmountsWithHugeExponentsAreDecidedAtOnce() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "tools":{"refund":{"limits":[{"counter":"total","window":"day","max":100,
                                               "increment_from":"args.amount"}]}}}""")) {
            // Each used to rescale to a power of ten of a hundred million digits: minutes of CPU for one call. The
            // timeout only tells a hang from an answer; these take microseconds.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Decision huge = f.call("refund", Map.of("amount", "1e99999999"));
                assertEquals(Verdict.DENY, huge.verdict());
                assertTrue(huge.message().contains("args.amount"), huge.message());
                assertEquals(Verdict.DENY, f.call("refund", Map.of("amount", "1E+2147483647")).verdict());
                assertEquals(Verdict.DENY, f.call("refund", Map.of("amount", "1e11")).verdict());
                assertEquals(Verdict.ALLOW, f.call("refund", Map.of("amount", "1e-99999999")).verdict(),
                        "a tiny amount counts as one thousandth");
                assertEquals(Verdict.ALLOW, f.call("refund", Map.of("amount", "0e99999999")).verdict(),
                        "zero is zero");
                assertEquals(Verdict.ALLOW, f.call("refund", Map.of("amount", "99.999e0")).verdict(),
                        "100 spent exactly");
                assertEquals(Verdict.DENY, f.call("refund", Map.of("amount", "1e-99999999")).verdict(),
                        "one thousandth more is over");
            });
        }
    }

    @Test
    void scopesKeepTheirCountsApart() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "all_tools":{"limits":[{"counter":"per_tool","window":60,"max":1,"scope":"tool"}]},
                 "tools":{"s":{"limits":[{"counter":"per_session","window":60,"max":1,"scope":"session"}]}}}""")) {
            assertEquals(Verdict.ALLOW, f.call("a").verdict());
            assertEquals(Verdict.DENY, f.call("a").verdict());
            assertEquals(Verdict.ALLOW, f.call("b").verdict(), "tool scope: another tool has its own count");
            assertEquals(Verdict.ALLOW, f.callInSession("s", "one").verdict());
            assertEquals("/all_tools/limits/0", f.callInSession("s", "two").rule(),
                    "the tool-scoped all_tools limit for s is spent");
        }
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "tools":{"s":{"limits":[{"counter":"per_session","window":60,"max":1,"scope":"session"}]}}}""")) {
            assertEquals(Verdict.ALLOW, f.callInSession("s", "one").verdict());
            assertEquals(Verdict.DENY, f.callInSession("s", "one").verdict());
            assertEquals(Verdict.ALLOW, f.callInSession("s", "two").verdict(), "each session has its own count");
        }
    }

    @Test
    void fixedWindowsAreCalendarAligned() throws Exception {
        try (EngineFixture f = new EngineFixture("""
                {"version":"1","default":"allow",
                 "tools":{"t":{"limits":[{"counter":"c","window":"minute","max":2,"algorithm":"fixed"}]}}}""")) {
            f.clock.set(1_700_000_020_000L); // 40 s into a UTC minute
            assertEquals(Verdict.ALLOW, f.call("t").verdict());
            assertEquals(Verdict.ALLOW, f.call("t").verdict());
            Decision refused = f.call("t");
            assertTrue(refused.message().endsWith("next call allowed in 20s"), refused.message());
            f.clock.set(1_700_000_040_000L);
            assertEquals(Verdict.ALLOW, f.call("t").verdict(), "a new calendar minute starts a new count");
        }
    }

    @Test
    void limitPropertiesCountWithoutListingATool() throws Exception {
        try (EngineFixture f = new EngineFixture("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"search\":{}}}",
                Map.of("policylayer.limit.search", "1/minute", "policylayer.limit.export", "5/1h"))) {
            assertEquals(Verdict.ALLOW, f.call("search").verdict());
            Decision refused = f.call("search");
            assertEquals("policylayer.limit.search", refused.rule());
            assertEquals(Decision.DEFAULT_DENY_RULE, f.call("export").rule(),
                    "a limit property does not allow an unlisted tool");
        }
    }
}
