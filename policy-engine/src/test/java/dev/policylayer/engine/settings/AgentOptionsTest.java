package dev.policylayer.engine.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agent options default safely, and a typo falls back to the safe choice with a problem to report. */
class AgentOptionsTest {

    @Test
    void defaultsAreEnforceFailClosedInProcessCounters() {
        AgentOptions options = AgentOptions.from(Settings.empty());
        assertEquals(AgentOptions.Mode.ENFORCE, options.mode());
        assertEquals(AgentOptions.FailMode.CLOSED, options.fail());
        assertEquals("default", options.grant());
        assertTrue(options.counters().isEmpty());
        assertEquals(100_000, options.counterKeys());
        assertTrue(options.reload());
        assertTrue(options.problems().isEmpty());
    }

    @Test
    void everyOptionIsRead() {
        AgentOptions options = AgentOptions.from(Settings.of(Map.of("policylayer.mode", "monitor",
                "policylayer.fail", "OPEN", "policylayer.grant", "billing-bot", "policylayer.counters",
                "/var/run/pl.counters", "policylayer.counters.keys", "5000", "policylayer.audit", "stderr",
                "policylayer.reload", "false")));
        assertEquals(AgentOptions.Mode.MONITOR, options.mode());
        assertEquals(AgentOptions.FailMode.OPEN, options.fail());
        assertEquals("billing-bot", options.grant());
        assertEquals(Path.of("/var/run/pl.counters"), options.counters().orElseThrow());
        assertEquals(5000, options.counterKeys());
        assertEquals("stderr", options.audit().orElseThrow());
        assertFalse(options.reload());
    }

    @Test
    void aTypoNeverWeakensEnforcement() {
        AgentOptions options = AgentOptions.from(Settings.of(Map.of("policylayer.mode", "monitr",
                "policylayer.fail", "opne", "policylayer.counters.keys", "lots")));
        assertEquals(AgentOptions.Mode.ENFORCE, options.mode());
        assertEquals(AgentOptions.FailMode.CLOSED, options.fail());
        assertEquals(3, options.problems().size());
        assertTrue(options.problems().get(0).contains("\"monitr\""), options.problems().get(0));
    }
}
