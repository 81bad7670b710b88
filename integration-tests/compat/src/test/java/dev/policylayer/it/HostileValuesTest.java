package dev.policylayer.it;

import static dev.policylayer.it.HostileInputTest.assertDenied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile values against numeric rules, sent to a real stdio server in a forked JVM with the agent: numbers
 * spelled as strings or exponents, NaN and infinities, and duplicated keys. The README's semantics: a numeric
 * string counts as the number it spells (as {@code BigDecimal} reads it), anything else fails closed; the check
 * sees exactly the arguments the tool handler sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileValuesTest {
    /** {@code create_refund} echoes the amount its handler received: "refunded &lt;amount&gt;". */
    private static final String POLICY = """
            {"version": "1", "default": "deny",
             "tools": {
               "echo": {},
               "create_refund": {"deny_if": [{"path": "args.amount", "op": "gt", "value": 1000}]},
               "limited": {"require": [{"path": "args.amount", "op": "lte", "value": 1000}]},
               "flaky": {"limits": [{"counter": "spend", "window": "day", "max": 1000,
                                     "increment_from": "args.amount"}]}
             }}
            """;

    private HostileServer server;

    @BeforeAll
    void start() throws Exception {
        server = HostileServer.start(POLICY);
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
    void numericStringsAndExponentsCountAsTheNumberTheySpell() throws Exception {
        // At the bound: not over it, so allowed by deny_if gt and by require lte alike.
        // Digits of any script count ("\u0661\u0660\u0660\u0660" is Arabic-Indic 1000), as BigDecimal and Java's
        // Integer.parseInt read them.
        for (String amount : List.of("\"1e3\"", "\"1000.0\"", "\"1E+3\"", "\"+1000\"", "1E+3", "1e3", "1000.000",
                "\"\u0661\u0660\u0660\u0660\"")) {
            assertEquals(new ToolResult(false, "refunded " + handlerSees(amount)),
                    server.call("create_refund", "{\"amount\":" + amount + "}"), amount);
            assertEquals(new ToolResult(false, "limited ran"), server.call("limited", "{\"amount\":" + amount + "}"),
                    amount);
            assertEquals(List.of("create_refund", "limited"), server.ranSinceLastAsked(), amount);
        }
        // Just over it, however spelled.
        for (String amount : List.of("\"1e3000\"", "\"1000.0001\"", "\"1.0000001E3\"", "1.0000001E+3", "1e4",
                "\"\u0661\u0660\u0660\u0660\u0661\"")) {
            deniedByBothRules(amount);
        }
        server.assertStillAnswers();
    }

    @Test
    void hugeExponentsAgainstABudgetAreDecidedAtOnce() throws Exception {
        // "1e99999999" is ten characters; counting it as a budget amount once meant writing it out in full.
        for (String amount : List.of("\"1e99999999\"", "\"1E+2147483647\"", "1e99999999")) {
            ToolResult result = server.call("flaky", "{\"amount\":" + amount + "}");
            assertDenied(result, "/tools/flaky/limits/0");
            assertEquals(List.of(), server.ranSinceLastAsked(), amount);
        }
        assertEquals(new ToolResult(false, "flaky ok"), server.call("flaky", "{\"amount\":\"1e-99999999\"}"));
        assertEquals(List.of("flaky"), server.ranSinceLastAsked());
        server.assertStillAnswers();
    }

    @Test
    void stringsThatAreNotPlainNumbersFailClosed() throws Exception {
        // A handler may well read " 1000" as 1000 (after trim) or "0x10" as 16 (Integer.decode); the policy reads
        // neither, so in deny_if the condition holds and in require it fails: denied both ways, saying why.
        for (String amount : List.of("\" 1000\"", "\"1000 \"", "\"0x10\"", "\"1_000\"", "\"1,000\"", "\"\"",
                "\"1e\"")) {
            ToolResult overBound = deniedByBothRules(amount);
            assertTrue(overBound.text().contains("args.amount cannot be compared with gt (not a number)"),
                    overBound.text());
        }
        server.assertStillAnswers();
    }

    @Test
    void nanAndInfinitiesAsStringsFailClosed() throws Exception {
        for (String amount : List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"+Infinity\"", "\"-NaN\"")) {
            deniedByBothRules(amount);
        }
        server.assertStillAnswers();
    }

    @Test
    void duplicatedKeysAreCheckedAsTheHandlerSeesThem() throws Exception {
        // Jackson keeps the last of duplicated keys, for the agent and the handler alike.
        assertDenied(server.call("create_refund", "{\"amount\":1,\"amount\":999999}"),
                "/tools/create_refund/deny_if/0");
        assertEquals(List.of(), server.ranSinceLastAsked());

        assertEquals(new ToolResult(false, "refunded 1"), server.call("create_refund",
                "{\"amount\":999999,\"amount\":1}"));
        assertEquals(List.of("create_refund"), server.ranSinceLastAsked());

        // The same at the top of the params: the last name is the tool that would run, and the one checked.
        assertDenied(server.call("echo\",\"name\":\"drop_table", "{}"), "(default deny)");
        assertEquals(List.of(), server.ranSinceLastAsked());
        server.assertStillAnswers();
    }

    /** What the fixture's handler prints for an amount given as this JSON text. */
    private static String handlerSees(String json) {
        if (json.startsWith("\"")) {
            return json.substring(1, json.length() - 1);
        }
        return json.equals("1000.000") ? "1000.0" : String.valueOf(Double.parseDouble(json));
    }

    /**
     * {@code amount} is denied by {@code deny_if gt 1000} and by {@code require lte 1000} alike, quickly, and
     * neither tool ran; returns the deny_if denial.
     */
    private ToolResult deniedByBothRules(String amount) throws Exception {
        ToolResult overBound = server.call("create_refund", "{\"amount\":" + amount + "}");
        assertDenied(overBound, "/tools/create_refund/deny_if/0");
        assertDenied(server.call("limited", "{\"amount\":" + amount + "}"), "/tools/limited/require/0");
        assertEquals(List.of(), server.ranSinceLastAsked(), amount);
        return overBound;
    }
}
