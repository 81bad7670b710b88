package dev.policylayer.it;

import static dev.policylayer.it.HostileInputTest.assertDenied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile tool names and malformed tools/call params, sent to a real stdio server in a forked JVM with the agent.
 * Names match exactly (no case folding, no Unicode normalisation), as the SDK resolves them: a look-alike of a
 * denied or hidden tool is another tool, which {@code default: deny} denies and {@code default: allow} lets
 * through to the SDK, which has no such tool either. A call the agent cannot read is denied, never run.
 */
class HostileNamesTest {
    private static final String POLICY = """
            {"version": "1", "default": "%s", "hide": ["delete_account"],
             "tools": {"echo": {}, "drop_table": {"action": "deny"}}}
            """;
    /** Look-alikes of drop_table and delete_account: case, Cyrillic letters, zero-width and other invisibles. */
    private static final List<String> LOOK_ALIKES = List.of("Drop_table", "DROP_TABLE", "drop_t\u0430ble",
            "dr\u043ep_table", "drop_table\u200b", "\u200bdrop_table", "drop\u200d_table", "drop_table ",
            "\ufeffdrop_table",
            "Delete_account", "delete_\u0430ccount", "delete_account\u200b", "delete_account\u00a0");

    @Test
    void underDefaultDenyALookAlikeIsAnUnlistedToolAndDenied() throws Exception {
        try (HostileServer server = HostileServer.start(POLICY.formatted("deny"))) {
            List<String> listed = server.stdio().listToolNames();
            assertFalse(listed.contains("delete_account"), listed.toString());
            assertTrue(listed.contains("drop_table"), listed.toString());
            for (String name : LOOK_ALIKES) {
                ToolResult result = server.call(name, "{}");
                assertDenied(result, "(default deny)");
                assertTrue(result.text().contains("tool \"" + name + "\""), result.text());
            }
            assertDenied(server.call("drop_table", "{}"), "/tools/drop_table/action");
            assertDenied(server.call("delete_account", "{}"), "(hidden)");
            assertEquals(List.of(), server.ranSinceLastAsked());
            server.assertStillAnswers();
        }
    }

    @Test
    void underDefaultAllowALookAlikeIsAllowedButNoToolOfThatNameExists() throws Exception {
        // This is why a policy facing hostile callers should say default: deny. The SDK matches names exactly too,
        // so the look-alike reaches no tool here; a server that folded case or normalised names itself would run it.
        try (HostileServer server = HostileServer.start(POLICY.formatted("allow"))) {
            for (String name : LOOK_ALIKES) {
                ToolResult result = server.call(name, "{}");
                assertFalse(result.denied(), result.toString());
                assertTrue(result.isError() && result.text().contains("Unknown tool"), result.toString());
            }
            assertDenied(server.call("drop_table", "{}"), "/tools/drop_table/action");
            assertDenied(server.call("delete_account", "{}"), "(hidden)");
            assertEquals(List.of(), server.ranSinceLastAsked());
            server.assertStillAnswers();
        }
    }

    @Test
    void malformedCallsAreDeniedAndNothingRuns() throws Exception {
        // Under default: allow, so that nothing but the agent's own reading of the call stands in the way.
        String noTool = "[POLICY DENIED] call denied: the call names no tool";
        String notAnObject = "[POLICY DENIED] call denied: the tool's arguments are not an object";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("{\"arguments\":{}}", noTool);
        expected.put("{\"name\":null,\"arguments\":{}}", noTool);
        expected.put("{\"name\":42,\"arguments\":{}}", noTool);
        expected.put("{\"name\":[\"echo\"],\"arguments\":{}}", noTool);
        expected.put("{\"name\":{\"name\":\"echo\"},\"arguments\":{}}", noTool);
        expected.put("[]", noTool);
        expected.put("\"echo\"", noTool);
        expected.put("null", noTool);
        expected.put("{\"name\":\"echo\",\"arguments\":\"text\"}", notAnObject);
        expected.put("{\"name\":\"echo\",\"arguments\":[\"text\"]}", notAnObject);
        expected.put("{\"name\":\"echo\",\"arguments\":42}", notAnObject);
        try (HostileServer server = HostileServer.start(POLICY.formatted("allow"))) {
            for (Map.Entry<String, String> call : expected.entrySet()) {
                Map<String, Object> response = server.rawCall(call.getKey());
                assertEquals(Map.of("content", List.of(Map.of("type", "text", "text", call.getValue())),
                        "isError", true), response.get("result"), call.getKey() + " -> " + response);
                assertEquals(List.of(), server.ranSinceLastAsked(), call.getKey());
                server.assertStillAnswers();
            }
        }
    }

    private static String escaped(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> out.append(c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
        return out.toString();
    }
}
