package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile argument shapes and sizes sent to a real stdio server (SDK 2.1.0, Jackson 3) in a forked JVM with the
 * agent: nesting as deep as the SDK parses, a 50 MB string, a million-item array, a catastrophic-backtracking
 * regex input. Each gets the verdict the policy gives, the tool runs only when allowed, and the server keeps
 * answering. What they cost next to a normal call is measured in JMH ({@code HostileInputBenchmark}), where a busy
 * machine cannot fail a build; here time is only a liveness limit ({@link HostileServer#ANSWER_SECONDS}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    /**
     * The fixture's tools stand in for a real server's: {@code delete_account} takes a tree, {@code limited} a
     * large text, {@code drop_table} a large list, {@code create_refund} a reason checked by a regex.
     */
    private static final String POLICY = """
            {"version": "1", "default": "deny",
             "tools": {
               "echo": {}, "flaky": {},
               "delete_account": {
                 "require": [{"path": "args.tree", "op": "exists", "value": true}],
                 "deny_if": [{"path": "args.tree.a.a.a", "op": "exists", "value": true},
                             {"path": "args.tree.list[0][0][0]", "op": "exists", "value": true}],
                 "on_deny": "Trees are at most three levels deep."},
               "limited": {
                 "require": [{"path": "args.text", "op": "regex", "value": "[ -~]*"}],
                 "deny_if": [{"path": "args.text", "op": "contains", "value": "DROP TABLE"}]},
               "drop_table": {
                 "deny_if": [{"path": "args.items[999999]", "op": "eq", "value": 13},
                             {"path": "args.items", "op": "contains", "value": "poison"}]},
               "create_refund": {
                 "require": [{"path": "args.reason", "op": "regex", "value": "^(a+)+$"}]}
             }}
            """;
    /**
     * The SDK's Jackson 3 refuses documents nested deeper than this (StreamReadConstraints' default); deeper ones
     * never reach the agent ({@link HostileUnparsableTest}).
     */
    static final int JACKSON_MAX_DEPTH = 500;
    private static final int MB_50 = 50 * 1024 * 1024;
    /**
     * SDK 2.1's stdio transport reads at most 16 MiB per line by default (a longer line ends the session:
     * {@link HostileUnparsableTest}); a server that takes 50 MB arguments raises it, as this one does.
     */
    private static final String LARGE_LINES = "-Dfixture.inputMaxSize=" + 64 * 1024 * 1024;

    private HostileServer server;

    @BeforeAll
    void start() throws Exception {
        server = HostileServer.start(POLICY, LARGE_LINES);
    }

    @BeforeEach
    void forgetEarlierRuns() throws Exception {
        server.ranSinceLastAsked(); // what an earlier, failed test left behind
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void nestingAsDeepAsTheSdkAcceptsIsCheckedByTheRules() throws Exception {
        // Just under the deepest the SDK parses, once the JSON-RPC envelope's own levels are counted.
        int depth = JACKSON_MAX_DEPTH - 10;
        ToolResult objects = server.call("delete_account", "{\"tree\":" + nested("{\"a\":", "1", "}", depth) + "}");
        assertDenied(objects, "/tools/delete_account/deny_if/0");
        ToolResult arrays = server.call("delete_account", "{\"tree\":{\"list\":" + nested("[", "1", "]", depth)
                + "}}");
        assertDenied(arrays, "/tools/delete_account/deny_if/1");
        assertEquals(List.of(), server.ranSinceLastAsked());
        server.assertStillAnswers();
        assertEquals(new ToolResult(false, "delete_account ran"), server.call("delete_account",
                "{\"tree\":{\"a\":{\"a\":1}}}"));
        assertEquals(List.of("delete_account"), server.ranSinceLastAsked());
    }

    @Test
    void aFiftyMegabyteStringIsScannedByRegexAndContains() throws Exception {
        String text = "x".repeat(MB_50);
        assertEquals(new ToolResult(false, "limited ran"), server.call("limited", "{\"text\":\"" + text + "\"}"));
        assertEquals(List.of("limited"), server.ranSinceLastAsked());

        assertDenied(server.call("limited", "{\"text\":\"" + text + " DROP TABLE\"}"), "/tools/limited/deny_if/0");
        assertDenied(server.call("limited", "{\"text\":\"" + text + "\\t\"}"), "/tools/limited/require/0");
        assertEquals(List.of(), server.ranSinceLastAsked());
        server.assertStillAnswers();
    }

    @Test
    void aMillionItemArrayIsIndexedAndSearched() throws Exception {
        String zeros = "0,".repeat(999_999);

        assertEquals(new ToolResult(false, "drop_table ran"),
                server.call("drop_table", "{\"items\":[" + zeros + "0]}"));
        assertDenied(server.call("drop_table", "{\"items\":[" + zeros + "13]}"), "/tools/drop_table/deny_if/0");
        assertDenied(server.call("drop_table", "{\"items\":[" + zeros + "\"poison\"]}"),
                "/tools/drop_table/deny_if/1");
        assertEquals(List.of("drop_table"), server.ranSinceLastAsked());
        server.assertStillAnswers();
    }

    @Test
    void catastrophicBacktrackingRunsOutOfBudgetAndFailsClosed() throws Exception {
        String hostile = "a".repeat(50_000) + "b";
        for (int i = 0; i < 3; i++) {
            ToolResult result = server.call("create_refund", "{\"amount\":1,\"reason\":\"" + hostile + "\"}");
            assertDenied(result, "/tools/create_refund/require/0");
            assertTrue(result.text().contains("args.reason could not be checked against the regex"), result.text());
            assertEquals(List.of(), server.ranSinceLastAsked());
            server.assertStillAnswers();
        }

        // The budget grows with the input: the same pattern on an honest input of the same size still matches.
        assertEquals(new ToolResult(false, "refunded 1"), server.call("create_refund", "{\"amount\":1,\"reason\":\""
                + "a".repeat(50_000) + "\"}"));
        assertEquals(List.of("create_refund"), server.ranSinceLastAsked());
    }

    @Test
    void catastrophicBacktrackingOnFiftyMegabytesRunsOutOfBudgetToo() throws Exception {
        // The budget grows by 8 reads a character beyond the first million: at 64 this took tens of seconds, and the
        // budget counts reads, not time, so the verdict is the same on any machine.
        String hostile = "a".repeat(MB_50);
        ToolResult result = server.call("create_refund", "{\"amount\":1,\"reason\":\"" + hostile + "b\"}");
        assertDenied(result, "/tools/create_refund/require/0");
        assertEquals(new ToolResult(false, "refunded 1"), server.call("create_refund", "{\"amount\":1,\"reason\":\""
                + hostile + "\"}"));
        assertEquals(List.of("create_refund"), server.ranSinceLastAsked());
        server.assertStillAnswers();
    }

    static void assertDenied(ToolResult result, String rule) {
        assertTrue(result.denied(), result.toString());
        assertTrue(result.text().contains(" denied by " + rule), result.text());
        assertFalse(result.text().length() > 1000, "the denial quotes the argument: " + result.text().length());
    }

    static String nested(String open, String inner, String close, int depth) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }
}
