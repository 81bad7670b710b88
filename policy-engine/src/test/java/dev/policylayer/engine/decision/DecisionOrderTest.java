package dev.policylayer.engine.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.PolicyEngine;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spec's order: hidden, explicit deny, default deny, require, deny_if, approval, limits. */
class DecisionOrderTest {
    private static final String POLICY = """
            {
              "version": "1",
              "default": "deny",
              "hide": ["delete_account", "secret_*"],
              "tools": {
                "list_customers": {},
                "delete_account": { "deny_if": [ {"path": "args.id", "op": "exists", "value": true} ] },
                "drop_table": { "action": "deny", "reason": "Schema changes go through migrations." },
                "create_refund": {
                  "require": [ {"path": "args.reason", "op": "exists", "value": true} ],
                  "deny_if": [ {"path": "args.amount", "op": "gt", "value": 10000} ],
                  "on_deny": "Refunds over 10000 need a human."
                },
                "transfer": {
                  "require": [ {"path": "args.amount", "op": "lte", "value": 100} ],
                  "deny_if": [ {"path": "args.note", "op": "contains", "value": "urgent"} ]
                },
                "wire_transfer": { "action": "require_approval",
                                   "deny_if": [ {"path": "args.amount", "op": "gt", "value": 1000000} ] }
              }
            }""";

    private EngineFixture fixture;

    @BeforeEach
    void load() throws Exception {
        fixture = new EngineFixture(POLICY);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aListedToolWithNoRulesIsAllowed() {
        Decision d = fixture.call("list_customers");
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals("/tools/list_customers", d.rule());
    }

    @Test
    void hiddenComesFirstEvenWhenOtherRulesWouldAlsoDeny() {
        Decision d = fixture.call("delete_account", Map.of("id", "42"));
        assertEquals(Verdict.HIDDEN, d.verdict());
        assertEquals(Decision.HIDDEN_RULE, d.rule());
        assertTrue(d.message().startsWith("tool \"delete_account\" denied by (hidden)"), d.message());
        assertEquals(Verdict.HIDDEN, fixture.call("secret_keys").verdict(), "hide takes globs");
        assertTrue(fixture.engine.isHidden("secret_keys"));
        assertFalse(fixture.engine.isHidden("list_customers"));
    }

    @Test
    void explicitDenyUsesItsReason() {
        Decision d = fixture.call("drop_table");
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals("/tools/drop_table/action", d.rule());
        assertTrue(d.message().startsWith("Schema changes go through migrations. (tool \"drop_table\""),
                d.message());
    }

    @Test
    void unlistedToolsFallToTheDefault() {
        Decision d = fixture.call("export_everything");
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(Decision.DEFAULT_DENY_RULE, d.rule());
        assertEquals("tool \"export_everything\" denied by (default deny): the policy does not list this tool",
                d.message());
    }

    @Test
    void toolNamesMatchExactlyWithNoCaseFoldingOrLookAlikes() {
        assertEquals(Verdict.DENY, fixture.call("Drop_Table").verdict(), "a different name is unlisted");
        assertEquals(Decision.DEFAULT_DENY_RULE, fixture.call("list_customers\u200b").rule(),
                "a zero-width space makes another (unlisted) tool");
        assertEquals(Verdict.HIDDEN, fixture.call("delete_account").verdict());
        assertEquals(Decision.DEFAULT_DENY_RULE, fixture.call("delete_acc\u043eunt").rule(),
                "a Cyrillic look-alike is not the hidden tool, and is not listed either");
    }

    @Test
    void requireFailsOnAMissingFieldBeforeDenyIfIsLookedAt() {
        Decision d = fixture.call("create_refund", Map.of("amount", 50_000));
        assertEquals("/tools/create_refund/require/0", d.rule());
        assertTrue(d.message().startsWith("Refunds over 10000 need a human. (tool \"create_refund\" denied by "
                + "/tools/create_refund/require/0: required: args.reason"), d.message());
    }

    @Test
    void denyIfHoldsOnNumbersAndNumericStrings() {
        assertEquals("/tools/create_refund/deny_if/0",
                fixture.call("create_refund", Map.of("amount", 20_000, "reason", "x")).rule());
        assertEquals("/tools/create_refund/deny_if/0",
                fixture.call("create_refund", Map.of("amount", "20000", "reason", "x")).rule());
        assertEquals("/tools/create_refund/deny_if/0",
                fixture.call("create_refund", Map.of("amount", "2e4", "reason", "x")).rule());
        assertEquals(Verdict.ALLOW, fixture.call("create_refund", Map.of("amount", 10_000, "reason", "x")).verdict());
    }

    @Test
    void aMissingFieldDoesNotTriggerDenyIf() {
        assertEquals(Verdict.ALLOW, fixture.call("create_refund", Map.of("reason", "x")).verdict());
    }

    @Test
    void incomparableValuesFailClosedInBothLists() {
        Decision denyIf = fixture.call("create_refund", Map.of("amount", "a lot", "reason", "x"));
        assertEquals("/tools/create_refund/deny_if/0", denyIf.rule(), "deny_if holds when it cannot compare");
        assertTrue(denyIf.message().contains("cannot be compared"), denyIf.message());
        Decision require = fixture.call("transfer", Map.of("amount", Map.of("value", 5)));
        assertEquals("/tools/transfer/require/0", require.rule(), "require fails when it cannot compare");
        Map<String, Object> nan = new HashMap<>();
        nan.put("amount", Double.NaN);
        assertEquals(Verdict.DENY, fixture.call("transfer", nan).verdict());
    }

    @Test
    void approvalComesAfterTheArgumentRules() {
        Decision tooBig = fixture.call("wire_transfer", Map.of("amount", 5_000_000));
        assertEquals("/tools/wire_transfer/deny_if/0", tooBig.rule());
        Decision approval = fixture.call("wire_transfer", Map.of("amount", 500));
        assertEquals(Verdict.APPROVAL_REQUIRED, approval.verdict());
        assertNotNull(approval.approvalId());
        assertTrue(approval.message().contains(approval.approvalId()), approval.message());
        assertFalse(approval.allowed());
    }

    @Test
    void messagesNeverCarryArgumentValues() {
        String secret = "4111-1111-1111-1111";
        Decision d = fixture.call("transfer", Map.of("amount", 5, "note", "urgent " + secret));
        assertEquals("/tools/transfer/deny_if/0", d.rule());
        assertFalse(d.message().contains(secret), d.message());
    }

    @Test
    void aFailClosedEngineDeniesEverythingSayingWhy() {
        PolicyEngine broken = PolicyEngine.failClosed("policy.json line 3: invalid JSON");
        Decision d = broken.decide(new ToolCall("anything", Map.of(), Side.CLIENT, null));
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(Decision.POLICY_ERROR_RULE, d.rule());
        assertTrue(d.message().contains("policy.json line 3: invalid JSON"), d.message());
    }
}
