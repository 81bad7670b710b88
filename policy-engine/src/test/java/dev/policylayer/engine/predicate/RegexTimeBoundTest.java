package dev.policylayer.engine.predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A regex rule fed a catastrophic-backtracking input gives up and fails closed instead of stalling the call.
 * The timeout here is only a safety net so a regression fails rather than hangs: without the bound this input
 * takes longer than the universe has.
 */
class RegexTimeBoundTest {

    @Test
    void catastrophicBacktrackingIsCutOffAndReportedIncomparable() throws Exception {
        Predicate evil = Predicate.compile("args.q", "regex", "(.*a){20}");
        String input = "a".repeat(40) + "!"; // unbounded, this takes hours on the JDK's regex engine
        Result result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> evil.test(Map.of("q", input)));
        assertEquals(Result.INCOMPARABLE, result);
    }

    @Test
    void onHugeInputsTheBudgetGrowsByEightReadsACharacter() throws Exception {
        assertEquals(100_000 + 64 * 50_000, BoundedRegex.budget(50_000));
        int huge = 20_000_000;
        assertEquals(100_000 + 64 * 1_000_000 + 8L * (huge - 1_000_000), BoundedRegex.budget(huge));
        // It used to be 64 a character: 1.3 billion reads here, 3.2 billion for 50 MB (tens of seconds a call).
        Predicate evil = Predicate.compile("args.q", "regex", "^(a+)+$");
        String input = "a".repeat(huge) + "b";
        Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> evil.test(Map.of("q", input)));
        assertEquals(Result.INCOMPARABLE, result);
        // ... and still ample for linear patterns, a few reads a character.
        Predicate sql = Predicate.compile("args.q", "regex", "(?is).*drop\\s+table.*");
        assertEquals(Result.HOLDS, sql.test(Map.of("q", "x".repeat(huge) + " DROP TABLE users")));
        assertEquals(Result.DOES_NOT_HOLD, sql.test(Map.of("q", "x".repeat(huge))));
        assertEquals(Result.HOLDS, evil.test(Map.of("q", "a".repeat(huge))));
    }

    @Test
    void ordinaryPatternsOnLargeInputsStillMatch() throws Exception {
        Predicate sql = Predicate.compile("args.q", "regex", "(?is).*drop\\s+table.*");
        String big = "x".repeat(1_000_000) + " DROP TABLE users";
        assertEquals(Result.HOLDS, sql.test(Map.of("q", big)));
        assertEquals(Result.DOES_NOT_HOLD, sql.test(Map.of("q", "x".repeat(1_000_000))));
    }
}
