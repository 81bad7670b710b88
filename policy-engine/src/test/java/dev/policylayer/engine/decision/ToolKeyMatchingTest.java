package dev.policylayer.engine.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact keys win over globs, the most specific glob wins, and "*" adds its rules to every tool. */
class ToolKeyMatchingTest {
    private static final String POLICY = """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "github_*": { "deny_if": [ {"path": "args.repo", "op": "starts_with", "value": "private/"} ] },
                "github_delete_*": { "action": "deny" },
                "github_delete_branch": {},
                "*": { "deny_if": [ {"path": "args.query", "op": "contains", "value": "password"} ] }
              }
            }""";

    @Test
    void exactThenMostSpecificGlobThenStar() throws Exception {
        try (EngineFixture fixture = new EngineFixture(POLICY)) {
            assertEquals(Verdict.ALLOW, fixture.call("github_list", Map.of("repo", "public/x")).verdict(),
                    "a glob key lists the tool under default deny");
            assertEquals("/tools/github_*/deny_if/0",
                    fixture.call("github_list", Map.of("repo", "private/x")).rule());
            assertEquals("/tools/github_delete_*/action", fixture.call("github_delete_repo").rule(),
                    "the longer glob is more specific");
            assertEquals(Verdict.ALLOW, fixture.call("github_delete_branch").verdict(), "an exact key wins");
            assertEquals("/tools/*/deny_if/0",
                    fixture.call("github_delete_branch", Map.of("query", "my password")).rule(),
                    "\"*\" rules apply after the tool's own");
            assertEquals(Decision.DEFAULT_DENY_RULE, fixture.call("slack_post").rule(),
                    "\"*\" alone does not list a tool");
        }
    }

    @Test
    void hideStarHidesEverything() throws Exception {
        try (EngineFixture fixture = new EngineFixture("{\"version\":\"1\",\"default\":\"allow\",\"hide\":[\"*\"]}")) {
            assertEquals(Verdict.HIDDEN, fixture.call("anything").verdict());
            assertEquals(true, fixture.engine.isHidden("whatever"));
        }
    }
}
