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
        assertTrue(options.counters().inMemory());
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
        assertEquals(Path.of("/var/run/pl.counters"), options.counters().file());
        assertEquals(5000, options.counterKeys());
        assertEquals("stderr", options.audit().orElseThrow());
        assertFalse(options.reload());
    }

    @Test
    void aRedisUrlIsReadWithItsPasswordFromTheEnvironmentAndNeverShown() {
        AgentOptions options = AgentOptions.from(Settings.of(Map.of("policylayer.counters",
                "rediss://agent@redis.internal:6380/3", "policylayer.counters.redis.password-env", "PL_REDIS_PW",
                "policylayer.counters.redis.timeout", "100ms", "policylayer.counters.redis.prefix", "pl:")),
                name -> name.equals("PL_REDIS_PW") ? "s3cret" : null);
        CounterTarget target = options.counters();
        assertEquals(new dev.policylayer.engine.counter.redis.RedisLocation(true, "redis.internal", 6380, "agent",
                "s3cret", 3), target.redis());
        assertEquals(java.time.Duration.ofMillis(100), target.timeout());
        assertEquals("pl:", target.prefix());
        assertEquals("Redis rediss://agent@redis.internal:6380/3 (with a password)", target.describe());
        assertFalse(target.toString().contains("s3cret"), target.toString());
        assertTrue(options.problems().isEmpty(), options.problems().toString());
    }

    @Test
    void aMalformedRedisUrlCountsNowhereElse() {
        AgentOptions options = AgentOptions.from(Settings.of(Map.of("policylayer.counters", "redis://:pw@/0")));
        assertFalse(options.counters().inMemory(), "a typo must not quietly count in this JVM alone");
        assertTrue(options.counters().unusable().contains("names no host"), options.counters().unusable());
        assertFalse(options.problems().toString().contains("pw"), options.problems().toString());
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
