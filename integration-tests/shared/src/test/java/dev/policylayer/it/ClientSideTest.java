package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureClient;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An MCP client app (sync and async client of this module's SDK release) started with the agent, calling a stdio
 * server child that runs without it: the client side alone hides and denies, and denied calls never leave.
 */
class ClientSideTest {

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void theClientSideHidesAndDeniesBeforeAnythingIsSent(String flavour) throws Exception {
        Path runLog = Files.createTempFile("runlog-", ".txt");
        try (ForkedJvm client = ForkedJvm.of(FixtureClient.class.getName())
                .withAgent(ForkedJvm.policyFile(FixturePolicy.JSON))
                .argument(flavour).argument(runLog.toString())
                .start()) {
            List<Map<String, Object>> lines = new ArrayList<>();
            for (int i = 0; i <= FixtureClient.script().size(); i++) {
                lines.add(Json.object(client.nextLine(60)));
            }
            assertEquals(0, client.waitFor(30), client.describe());

            @SuppressWarnings("unchecked")
            List<String> listed = (List<String>) lines.get(0).get("list");
            assertFalse(listed.contains("delete_account"), listed.toString());
            assertTrue(listed.contains("echo"), listed.toString());

            assertEquals(Map.of("call", "echo", "isError", false, "text", "echo: hello"), lines.get(1));
            assertDenied(lines.get(2), "delete_account", "(hidden)");
            assertDenied(lines.get(3), "drop_table", "Schema changes go through migrations.");
            assertDenied(lines.get(4), "create_refund", "/tools/create_refund/deny_if/0");
            assertEquals(Map.of("call", "create_refund", "isError", false, "text", "refunded 50"), lines.get(5));

            assertEquals(List.of("echo", "create_refund"), Files.readAllLines(runLog),
                    "only the allowed calls reached the server");
            assertTrue(client.stderrLines().stream()
                    .anyMatch(l -> l.startsWith("[policylayer] instrumented MCP SDK client tools/call")), client.describe());
        } finally {
            Files.deleteIfExists(runLog);
        }
    }

    private static void assertDenied(Map<String, Object> line, String tool, String because) {
        assertEquals(tool, line.get("call"));
        assertEquals(true, line.get("isError"), line.toString());
        String text = (String) line.get("text");
        assertTrue(text.startsWith("[POLICY DENIED] ") && text.contains(because), text);
    }
}
