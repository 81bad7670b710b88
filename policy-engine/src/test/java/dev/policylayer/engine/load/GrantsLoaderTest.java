package dev.policylayer.engine.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.grants.Grants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grants file as a user writes it: what loads, and what each mistake is told as. */
class GrantsLoaderTest {
    private static final String CI_TOKEN = "ci-token-0123456789";
    private static final String ANOTHER_SECRET = "s3cr3t-not-a-hash-9876";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private List<String> problems(Path file) {
        PolicyLoadException invalid = assertThrows(PolicyLoadException.class, () -> GrantsLoader.load(file,
                ReadLimits.DEFAULT));
        return invalid.problems().stream().map(PolicyProblem::describe).toList();
    }

    @Test
    void theIssuesExampleLoadsAndRecognisesEachCallerByWhatItPresents() throws Exception {
        Path file = write("grants.json", """
                { "version": "1",
                  "grants": {
                    "ci-runner": { "tokens_sha256": ["%s"], "policy": "ci-policy.json" },
                    "alice":     { "principals": ["alice"] },
                    "agent-a":   { "header_values": ["agent-a"] } },
                  "unknown": "deny" }""".formatted(Grants.sha256(CI_TOKEN).toUpperCase()));
        Grants grants = GrantsLoader.load(file, ReadLimits.DEFAULT);
        assertEquals("ci-runner", grants.byToken(CI_TOKEN).label(), "hex in either case; matched by SHA-256");
        assertEquals(dir.resolve("ci-policy.json").toAbsolutePath().normalize(), grants.byToken(CI_TOKEN).policy(),
                "a grant's policy is relative to the grants file");
        assertNull(grants.byToken("another-token"));
        assertEquals("alice", grants.byPrincipal("alice").label());
        assertNull(grants.byPrincipal("mallory"));
        assertEquals("agent-a", grants.byHeaderValue("agent-a").label());
        assertNull(grants.byLabel("alice").policy(), "no policy: the main one");
        assertNull(grants.fallback(), "unknown callers are denied");
        assertEquals(64, grants.hash().length());
    }

    @Test
    void unknownMayNameAFallbackGrantAndAGrantMayRecogniseNobody() throws Exception {
        Grants grants = GrantsLoader.load(write("grants.yaml", """
                version: "1"
                grants:
                  alice: {principals: [alice]}
                  visitors: {policy: read-only.json}
                  former-team: {tokens_sha256: []}
                unknown: visitors
                """), ReadLimits.DEFAULT);
        assertEquals("visitors", grants.fallback());
        assertEquals(3, grants.all().size(), "a grant without callers (yet, or any more) is no mistake");
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPlaceAndNoSecretIsRepeated() throws Exception {
        Path file = write("grants.json", """
                {"version": "2",
                 "grants": {
                   "ci": {"tokens_sha256": ["%s"], "principal": ["ci"]},
                   "alice": {"principals": ["alice"]},
                   "also-alice": {"principals": ["alice"], "header_values": [7]},
                   "nobody": {}
                 },
                 "unknown": "alicee"}""".formatted(ANOTHER_SECRET));
        List<String> problems = problems(file);
        String all = String.join("\n", problems);
        assertTrue(all.contains("at /version: unsupported version \"2\""), all);
        assertTrue(all.contains("line 3, column 29 at /grants/ci/tokens_sha256/0: expected the SHA-256 of a token"
                + " as 64 hex digits"), all);
        assertTrue(all.contains("printf %s \"$TOKEN\" | sha256sum"), all);
        assertTrue(all.contains("at /grants/ci/principal: unknown field \"principal\"") && all.contains(
                "did you mean \"principals\"?"), all);
        assertTrue(all.contains("at /grants/also-alice/principals/0: this principal \"alice\" is already in grant"
                + " \"alice\""), all);
        assertTrue(all.contains("at /grants/also-alice/header_values/0: expected a non-empty string, got a number"),
                all);
        assertTrue(all.contains("at /unknown: unknown names grant \"alicee\"") && all.contains(
                "did you mean \"alice\"?"), all);
        assertEquals(6, problems.size(), all);
        assertFalse(all.contains(ANOTHER_SECRET), "what was pasted where a hash belongs is never repeated");
    }

    @Test
    void aSyntaxErrorGivesItsPlaceButNotTheTextTheParserStoppedAt() throws Exception {
        List<String> problems = problems(write("grants.json", "{\"version\": \"1\", \"grants\": {\"ci\": "
                + "{\"tokens_sha256\": [" + ANOTHER_SECRET + "]}}}"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("line 1, column") && problems.get(0).contains("invalid JSON here"),
                problems.get(0));
        assertFalse(problems.get(0).contains(ANOTHER_SECRET), problems.get(0));
    }

    @Test
    void aTokenHashInTwoGrantsIsRefusedWithoutShowingIt() throws Exception {
        String hash = Grants.sha256(CI_TOKEN);
        String all = String.join("\n", problems(write("grants.json", """
                {"version": "1", "grants": {"a": {"tokens_sha256": ["%s"]}, "b": {"tokens_sha256": ["%s"]}}}"""
                .formatted(hash, hash))));
        assertTrue(all.contains("at /grants/b/tokens_sha256/0: this token hash is already in grant \"a\""), all);
        assertFalse(all.contains(hash), all);
    }

    @Test
    void aGrantsFileThatIsMissingEmptyOrTooLargeIsAClearProblem() throws Exception {
        assertTrue(problems(dir.resolve("absent.json")).get(0).contains("grants file"),
                problems(dir.resolve("absent.json")).toString());
        assertTrue(problems(write("empty.json", "")).get(0).contains("the grants file is empty; start from {"));
        Path large = write("large.json", "{\"version\": \"1\", \"grants\": {}}" + " ".repeat(5000));
        PolicyLoadException tooLarge = assertThrows(PolicyLoadException.class, () -> GrantsLoader.load(large,
                new ReadLimits(1024, ReadLimits.DEFAULT_TIMEOUT)));
        assertTrue(tooLarge.getMessage().contains("1024"), tooLarge.getMessage());
        assertTrue(problems(write("nogrants.json", "{\"version\": \"1\"}")).get(0).contains(
                "missing \"grants\""));
    }
}
