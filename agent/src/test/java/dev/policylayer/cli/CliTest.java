package dev.policylayer.cli;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.approval.ApprovalKey;
import dev.policylayer.engine.approval.ApprovalSpec;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.approval.FileApprovalStorage;
import dev.policylayer.engine.approval.Fingerprint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output, errors and exit codes. */
class CliTest {
    private static final String POLICY = """
            {"version":"1","default":"deny","hide":["delete_account"],
             "tools":{"search":{"rate_limit":{"max":2,"window":"minute"}},
                      "pay":{"deny_if":[{"path":"args.amount","op":"gt","value":100}]},
                      "drop":{"action":"deny"}}}""";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8)).run(args);
    }

    private Path policy(String json) throws Exception {
        return Files.writeString(dir.resolve("policy.json"), json);
    }

    @Test
    void approvalsCommandsDecideAPendingCallAndRefuseBadInputChangingNothing() throws Exception {
        Path store = dir.resolve("approvals.json");
        ApprovalStore server = new ApprovalStore(new FileApprovalStorage(store, false), java.time.Clock.systemUTC());
        String id = server.decide(new ApprovalKey("ci-runner", "wire", Fingerprint.of(java.util.Map.of("to", "x"))),
                ApprovalSpec.DEFAULT, java.util.List.of("to")).approval().id();
        assertEquals(0, run("approvals", store.toString(), "list"));
        assertTrue(out.toString().contains(id + "  pending  tool \"wire\"  grant \"ci-runner\""), out.toString());
        assertEquals(0, run("approvals", store.toString(), "show", id));
        assertTrue(out.toString().contains("arguments  [to]"), out.toString());
        String before = Files.readString(store);

        assertEquals(2, run("approvals", store.toString(), "approve", id, "--for", "soon"));
        assertTrue(err.toString().contains("--for takes a duration such as 30m"), err.toString());
        assertEquals(2, run("approvals", store.toString(), "approve", id, "--uses", "0"));
        assertEquals(2, run("approvals", store.toString(), "bless", id));
        assertEquals(2, run("approvals", store.toString(), "approve"));
        assertEquals(1, run("approvals", store.toString(), "approve", "no-such-id"));
        assertTrue(err.toString().contains("no approval has the id no-such-id"), err.toString());
        assertEquals(before, Files.readString(store), "nothing changed");

        Path foreign = Files.writeString(dir.resolve("policy-not-store.json"), POLICY);
        assertEquals(1, run("approvals", foreign.toString(), "approve", id));
        assertTrue(err.toString().contains("not an approval store"), err.toString());
        assertEquals(POLICY, Files.readString(foreign));
        assertEquals(1, run("approvals", dir.resolve("missing.json").toString(), "list"));
        assertTrue(err.toString().contains("there is no approval store at"), err.toString());
        assertFalse(Files.exists(dir.resolve("missing.json")));

        assertEquals(0, run("approvals", store.toString(), "approve", id, "--uses", "2", "--for", "30m"));
        assertTrue(out.toString().contains("approved: " + id + "  approved") && out.toString().contains("(os user)"),
                out.toString());
        assertEquals(1, run("approvals", store.toString(), "deny", id + "x"));
        assertEquals(0, run("approvals", store.toString(), "deny", id, "--reason", "changed my mind"));
        assertTrue(out.toString().contains("reason: changed my mind"), out.toString());
        assertEquals(1, run("approvals", store.toString(), "approve", id));
        assertTrue(err.toString().contains("already denied"), err.toString());
        server.close();
    }

    @Test
    void validateSaysOkOrListsEveryProblem() throws Exception {
        assertEquals(0, run("validate", policy(POLICY).toString()));
        assertTrue(out.toString().startsWith("OK: "), out.toString());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"version\":\"1\",\"tools\":{\"x\":{\"deny-if\":[]}}}");
        assertEquals(1, run("validate", bad.toString()));
        String problems = err.toString();
        assertTrue(problems.contains("at /default: missing \"default\""), problems);
        assertTrue(problems.contains("did you mean \"deny_if\"?"), problems);
    }

    @Test
    void grantsHashPrintsWhatAGrantsFileStoresForTheTokenOnStandardInput() {
        int code = new Cli(new java.io.ByteArrayInputStream("my-token\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"grants", "hash"});
        assertEquals(0, code, err.toString());
        assertEquals("fece50d2287f7245aea5819b75f95ee8bec295a14f8ef1e7a31f17f1dae9df44", out.toString().trim(), "what printf %s my-token | sha256sum prints");
        assertEquals(2, run("grants", "hash"), "no token on standard input is a usage error");
    }

    @Test
    void grantsCheckSaysWhoEachGrantRecognisesAndChecksTheirPolicies() throws Exception {
        Files.writeString(dir.resolve("read-only.json"), "{\"version\":\"1\",\"default\":\"deny\"}");
        Path grants = Files.writeString(dir.resolve("grants.json"), """
                {"version": "1", "grants": {
                  "ci": {"tokens_sha256": ["%s"]},
                  "alice": {"principals": ["alice"], "policy": "read-only.json"},
                  "visitors": {"policy": "missing.json"}},
                 "unknown": "visitors"}""".formatted("ab".repeat(32)));
        assertEquals(1, run("grants", "check", grants.toString()), "a grant's policy is missing");
        String text = out.toString();
        assertTrue(text.contains("  ci: 1 token(s); policy the main one"), text);
        assertTrue(text.contains("  alice: principals alice; policy " + dir.resolve("read-only.json")), text);
        assertTrue(text.contains("  visitors: callers nobody recognises; policy " + dir.resolve("missing.json")),
                text);
        assertTrue(err.toString().contains("missing.json"), err.toString());
        assertTrue(!text.contains("ab".repeat(32)), "no hash is printed");
    }

    @Test
    void explainTellsWhatThePolicyDoes() throws Exception {
        assertEquals(0, run("explain", policy(POLICY).toString()));
        String text = out.toString();
        assertTrue(text.startsWith("Tools the policy does not list are DENIED."), text);
        assertTrue(text.contains("HIDDEN from tools/list, and denied when called by name: delete_account."), text);
        assertTrue(text.contains("Tool \"pay\" is ALLOWED, but:"), text);
        assertTrue(text.contains("is denied when args.amount gt 100"), text);
        assertTrue(text.contains("Tool \"drop\" is listed but every call is DENIED"), text);
        assertTrue(text.indexOf("\"search\"") < text.indexOf("\"pay\""), "in the document's order: " + text);
    }

    @Test
    void simulateCountsLikeTheAgent() throws Exception {
        assertEquals(0, run("simulate", policy(POLICY).toString(), "--tool", "search", "--times", "3"));
        String[] lines = out.toString().split("\\R");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].startsWith("1\tALLOW\t/tools/search"), lines[0]);
        assertTrue(lines[2].startsWith("3\tDENY\t/tools/search/rate_limit\t"), lines[2]);
        out.reset();
        assertEquals(0, run("simulate", policy(POLICY).toString(), "--tool", "pay", "--args", "{\"amount\": \"500\"}"));
        assertTrue(out.toString().startsWith("1\tDENY\t/tools/pay/deny_if/0"), out.toString());
    }

    @Test
    void aWrongCommandLineIsAUsageError() throws Exception {
        assertEquals(2, run());
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("validate"));
        assertEquals(2, run("simulate", policy(POLICY).toString()));
        assertEquals(2, run("simulate", policy(POLICY).toString(), "--tool", "pay", "--args", "[1"));
        assertEquals(2, run("simulate", policy(POLICY).toString(), "--tool", "pay", "--times", "0"));
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("usage: java -jar policylayer.jar"));
    }
}
