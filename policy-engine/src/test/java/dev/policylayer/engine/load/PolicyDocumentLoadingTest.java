package dev.policylayer.engine.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.counter.Algorithm;
import dev.policylayer.engine.counter.CounterUnits;
import dev.policylayer.engine.policy.Action;
import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.policy.Scope;
import dev.policylayer.engine.policy.ToolRule;
import dev.policylayer.engine.settings.Settings;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec's example document loads, as JSON and as YAML, into the policy it describes. */
class PolicyDocumentLoadingTest {

    static EffectivePolicy load(String resource) throws Exception {
        return PolicyLoader.load(Settings.of(Map.of("policylayer.policy", resourcePath(resource).toString())));
    }

    static Path resourcePath(String resource) throws URISyntaxException {
        return Path.of(PolicyDocumentLoadingTest.class.getResource("/" + resource).toURI());
    }

    @Test
    void theSpecExampleReadsAsWritten() throws Exception {
        EffectivePolicy loaded = load("spec-example.json");
        Policy policy = loaded.policy();
        assertFalse(policy.defaultAllow());
        assertTrue(policy.isHidden("delete_account"));
        assertFalse(policy.isHidden("list_customers"));
        assertEquals(Action.DENY, policy.ownRule("drop_table").action());
        assertEquals("Schema changes go through migrations.", policy.ownRule("drop_table").onDeny());
        assertEquals(Action.REQUIRE_APPROVAL, policy.ownRule("wire_transfer").action());
        assertNull(policy.ownRule("not_listed"));

        Limit calls = policy.allToolsLimits().get(0);
        assertEquals("/all_tools/limits/0", calls.pointer());
        assertEquals(60_000, calls.spec().windowMillis());
        assertEquals(CounterUnits.of(BigDecimal.valueOf(60)), calls.spec().max());
        assertEquals(Scope.GRANT, calls.scope());
        assertEquals(Algorithm.SLIDING, calls.spec().algorithm());
        assertEquals("60 calls per 60s", calls.summary());

        ToolRule refund = policy.ownRule("create_refund");
        assertEquals("/tools/create_refund", refund.pointer());
        assertEquals("/tools/create_refund/require/0", refund.require().get(0).pointer());
        assertEquals("args.amount gt 10000", refund.denyIf().get(0).predicate().describe());
        assertEquals("Refunds over 10000 need a human.", refund.onDeny());
        Limit budget = refund.limits().get(1);
        assertEquals("args.amount", budget.incrementFrom().toString());
        assertEquals(86_400_000, budget.spec().windowMillis());
        assertEquals("50000 of args.amount per 1d", budget.summary());

        Limit rate = policy.ownRule("start_dicom_export_job").limits().get(0);
        assertEquals("/tools/start_dicom_export_job/rate_limit", rate.pointer());
        assertEquals("10 calls per 60s", rate.summary());

        assertEquals(loaded.policy().toolRules().size() + 1 + 1, loaded.ruleCount());
        assertTrue(loaded.hasLimits());
        assertEquals(64, loaded.hash().length());
    }

    @Test
    void yamlWithTheSameStructureIsTheSamePolicy() throws Exception {
        EffectivePolicy json = load("spec-example.json");
        EffectivePolicy yaml = load("spec-example.yaml");
        assertEquals(json.hash(), yaml.hash(), "same effective policy, same hash");
        assertEquals(json.ruleCount(), yaml.ruleCount());
        assertEquals(Action.REQUIRE_APPROVAL, yaml.policy().ownRule("wire_transfer").action());
    }

    @Test
    void inlineJsonIsAPolicyToo() throws Exception {
        EffectivePolicy inline = PolicyLoader.load(Settings.of(Map.of("policylayer.policy",
                "{\"version\":\"1\",\"default\":\"allow\",\"hide\":[\"*\"]}")));
        assertTrue(inline.policy().isHidden("anything"));
        assertTrue(inline.source().startsWith("inline policy"));
        assertFalse(inline.hasLimits());
    }

    @Test
    void theHashChangesWithThePolicy() throws Exception {
        String a = PolicyLoader.load(Settings.of(Map.of("policylayer.policy",
                "{\"version\":\"1\",\"default\":\"allow\"}"))).hash();
        String b = PolicyLoader.load(Settings.of(Map.of("policylayer.policy",
                "{\"version\":\"1\",\"default\":\"deny\"}"))).hash();
        String aAgain = PolicyLoader.load(Settings.of(Map.of("policylayer.policy",
                "{ \"default\": \"allow\", \"version\": \"1\" }"))).hash();
        assertNotEquals(a, b);
        assertEquals(a, aAgain, "formatting and key order do not change the hash");
    }

    @Test
    void windowsInEveryNotation() throws Exception {
        String json = "{\"version\":\"1\",\"default\":\"allow\",\"all_tools\":{\"limits\":["
                + "{\"counter\":\"a\",\"window\":\"second\",\"max\":1},"
                + "{\"counter\":\"b\",\"window\":90,\"max\":1},"
                + "{\"counter\":\"c\",\"window\":\"15m\",\"max\":1},"
                + "{\"counter\":\"d\",\"window\":\"24h\",\"max\":1},"
                + "{\"counter\":\"e\",\"window\":\"7d\",\"max\":1,\"algorithm\":\"fixed\"}]}}";
        var limits = PolicyLoader.load(Settings.of(Map.of("policylayer.policy", json))).policy().allToolsLimits();
        assertEquals(1_000, limits.get(0).spec().windowMillis());
        assertEquals(90_000, limits.get(1).spec().windowMillis());
        assertEquals(900_000, limits.get(2).spec().windowMillis());
        assertEquals(86_400_000, limits.get(3).spec().windowMillis());
        assertEquals(7 * 86_400_000L, limits.get(4).spec().windowMillis());
        assertEquals(Algorithm.FIXED, limits.get(4).spec().algorithm());
    }
}
