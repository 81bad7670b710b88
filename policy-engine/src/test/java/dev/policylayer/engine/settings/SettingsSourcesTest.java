package dev.policylayer.engine.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** System property beats agent argument beats environment; each source spells settings its own way. */
class SettingsSourcesTest {

    @Test
    void precedenceIsPropertyThenAgentArgumentThenEnvironment() {
        Settings settings = SettingsSources.merge(
                Map.of("policylayer.mode", "monitor", "java.version", "17"),
                "mode=enforce,grant=from-args,policy=p.json",
                Map.of("POLICYLAYER_MODE", "enforce", "POLICYLAYER_GRANT", "from-env",
                        "POLICYLAYER_FAIL", "open", "PATH", "/bin"));
        assertEquals("monitor", settings.get("policylayer.mode").orElseThrow());
        assertEquals("from-args", settings.get("policylayer.grant").orElseThrow());
        assertEquals("open", settings.get("policylayer.fail").orElseThrow());
        assertEquals("p.json", settings.get("policylayer.policy").orElseThrow());
        assertTrue(settings.get("java.version").isEmpty(), "only policylayer.* settings are kept");
    }

    @Test
    void agentArgumentListsNeedNoQuoting() {
        Settings settings = SettingsSources.merge(Map.of(), "allow=search,list_files,mode=monitor,deny=drop_table",
                Map.of());
        assertEquals("search,list_files", settings.get("policylayer.allow").orElseThrow());
        assertEquals("monitor", settings.get("policylayer.mode").orElseThrow());
        assertEquals("drop_table", settings.get("policylayer.deny").orElseThrow());
    }

    @Test
    void aBareAgentArgumentIsThePolicyAndInlineJsonSurvivesCommas() {
        assertEquals("policy.yaml", SettingsSources.merge(Map.of(), "policy.yaml", Map.of())
                .get("policylayer.policy").orElseThrow());
        String inline = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"a\":{}}}";
        assertEquals(inline, SettingsSources.merge(Map.of(), "policy=" + inline + ",mode=monitor", Map.of())
                .get("policylayer.policy").orElseThrow());
    }

    @Test
    void environmentNamesMapToSettingsAndKeepToolNamesAsWritten() {
        Settings settings = SettingsSources.merge(Map.of(), null, Map.of(
                "POLICYLAYER_POLICY", "/etc/p.json",
                "POLICYLAYER_COUNTERS_KEYS", "500",
                "POLICYLAYER_LIMIT_search_docs", "10/minute",
                "POLICYLAYER_LIMIT_ALL", "100/1h"));
        assertEquals("/etc/p.json", settings.get("policylayer.policy").orElseThrow());
        assertEquals("500", settings.get("policylayer.counters.keys").orElseThrow());
        assertEquals("10/minute", settings.get("policylayer.limit.search_docs").orElseThrow());
        assertEquals("100/1h", settings.get("policylayer.limit.*").orElseThrow());
    }
}
