package dev.policylayer.engine.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.policy.Action;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties merge over the file (override or add), and alone make a small policy. */
class PropertyOverlayTest {

    @TempDir
    Path dir;

    private static Policy load(Map<String, String> settings) throws Exception {
        return PolicyLoader.load(Settings.of(settings)).policy();
    }

    @Test
    void propertiesOverrideAndAddToTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("p.json"), """
                {"version":"1","default":"deny","hide":["a"],
                 "tools":{"search":{"deny_if":[{"path":"args.q","op":"eq","value":"x"}]},"drop":{"action":"deny"}}}""");
        Map<String, String> settings = new HashMap<>();
        settings.put("policylayer.policy", file.toString());
        settings.put("policylayer.default", "allow");
        settings.put("policylayer.hide", "b, c_*");
        settings.put("policylayer.deny", "search");
        settings.put("policylayer.allow", "drop,new_tool");
        Policy policy = load(settings);
        assertTrue(policy.defaultAllow(), "default overridden");
        assertTrue(policy.isHidden("a") && policy.isHidden("b") && policy.isHidden("c_x"), "hide added to");
        assertEquals(Action.DENY, policy.ownRule("search").action(), "deny overrides the action");
        assertEquals(1, policy.ownRule("search").denyIf().size(), "and keeps the tool's other rules");
        assertEquals(Action.ALLOW, policy.ownRule("drop").action(), "allow overrides a deny action");
        assertEquals(Action.ALLOW, policy.ownRule("new_tool").action(), "allow adds a listed tool");
    }

    @Test
    void propertiesAloneMakeAPolicyWithASafeDefault() throws Exception {
        Policy allowList = load(Map.of("policylayer.allow", "search"));
        assertFalse(allowList.defaultAllow(), "an allow-list means everything else is denied");
        assertEquals(Action.ALLOW, allowList.ownRule("search").action());

        Policy denyList = load(Map.of("policylayer.deny", "drop_table"));
        assertTrue(denyList.defaultAllow(), "a deny-list means everything else is allowed");
        assertEquals(Action.DENY, denyList.ownRule("drop_table").action());

        Policy explicit = load(Map.of("policylayer.deny", "drop_table", "policylayer.default", "deny"));
        assertFalse(explicit.defaultAllow());

        Policy limitsOnly = load(Map.of("policylayer.limit.*", "100/1h"));
        assertTrue(limitsOnly.hasLimits());
        assertNull(limitsOnly.ownRule("x"));
        assertEquals("system properties", PolicyLoader.load(Settings.of(Map.of("policylayer.hide", "x"))).source());
    }
}
