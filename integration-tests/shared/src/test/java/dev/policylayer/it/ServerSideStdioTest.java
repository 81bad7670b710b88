package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.Json;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A stdio MCP server built on this module's SDK release, started in its own JVM with
 * {@code -javaagent:policylayer.jar}, driven with raw JSON-RPC: what a real MCP client sees on the wire.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerSideStdioTest {
    private static Path runLog;
    private static StdioServer server;

    @BeforeAll
    static void startServer() throws Exception {
        runLog = Files.createTempFile("runlog-", ".txt");
        server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(FixturePolicy.JSON))
                .option("-Dfixture.runlog=" + runLog)
                .start());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        Files.deleteIfExists(runLog);
    }

    private static List<String> toolsThatRan() throws Exception {
        return Files.readAllLines(runLog);
    }

    @Test
    void hiddenToolsAreLeftOutOfTheList() throws Exception {
        List<String> listed = server.listToolNames();
        assertFalse(listed.contains("delete_account"), listed.toString());
        assertTrue(listed.containsAll(List.of("echo", "create_refund", "drop_table", "limited", "flaky")),
                listed.toString());
    }

    @Test
    void hiddenToolsAreDeniedWhenCalledByNameAndNeverRun() throws Exception {
        ToolResult result = server.call("delete_account", "{\"id\":\"42\"}");
        assertTrue(result.denied(), result.toString());
        assertTrue(result.text().contains("(hidden)"), result.text());
        assertFalse(toolsThatRan().contains("delete_account"));
    }

    @Test
    void explicitDenyCarriesItsReason() throws Exception {
        ToolResult result = server.call("drop_table", "{}");
        assertTrue(result.denied(), result.toString());
        assertTrue(result.text().startsWith("[POLICY DENIED] Schema changes go through migrations."), result.text());
        assertFalse(toolsThatRan().contains("drop_table"));
    }

    @Test
    void argumentRulesDenyNumbersAndNumericStringsAndMissingFields() throws Exception {
        assertTrue(server.call("create_refund", "{\"amount\":20000,\"reason\":\"x\"}").denied());
        assertTrue(server.call("create_refund", "{\"amount\":\"20000\",\"reason\":\"x\"}").denied());
        ToolResult noReason = server.call("create_refund", "{\"amount\":50}");
        assertTrue(noReason.denied(), noReason.toString());
        assertTrue(noReason.text().contains("/tools/create_refund/require/0"), noReason.text());
        assertFalse(toolsThatRan().contains("create_refund"), "no denied refund reached the tool");
        ToolResult allowed = server.call("create_refund", "{\"amount\":50,\"reason\":\"broken\"}");
        assertFalse(allowed.isError(), allowed.toString());
        assertEquals("refunded 50", allowed.text(), "the tool's own result comes back untouched");
        assertTrue(toolsThatRan().contains("create_refund"));
    }

    @Test
    void allowedCallsReturnTheToolsRealResult() throws Exception {
        ToolResult result = server.call("echo", "{\"text\":\"hello\"}");
        assertEquals(new ToolResult(false, "echo: hello"), result);
    }

    @Test
    void rateLimitIsReachedAndFreedAgain() throws Exception {
        assertFalse(server.call("limited", "{}").isError());
        assertFalse(server.call("limited", "{}").isError());
        ToolResult third = server.call("limited", "{}");
        assertTrue(third.denied(), third.toString());
        assertTrue(third.text().contains("2 calls per 1s reached; next call allowed in"), third.text());
        // The 1 s window frees by itself; polled with a deadline far beyond it, as a liveness limit.
        long deadline = System.nanoTime() + 60_000_000_000L;
        ToolResult again;
        do {
            Thread.sleep(100);
            again = server.call("limited", "{}");
        } while (again.denied() && System.nanoTime() < deadline);
        assertFalse(again.isError(), "the window never freed: " + again);
    }

    @Test
    void failedCallsGiveTheirQuotaBack() throws Exception {
        for (int i = 0; i < 3; i++) {
            ToolResult failed = server.call("flaky", "{\"fail\":true}");
            assertEquals(new ToolResult(true, "flaky failed"), failed, "the tool's own error, not a denial");
        }
        for (int i = 0; i < 3; i++) {
            ToolResult threw = server.call("flaky", "{\"throw\":true}");
            assertTrue(threw.isError() && !threw.denied(), "the tool's exception, not a denial: " + threw);
        }
        assertEquals(new ToolResult(false, "flaky ok"), server.call("flaky", "{}"));
        assertEquals(new ToolResult(false, "flaky ok"), server.call("flaky", "{}"));
        ToolResult third = server.call("flaky", "{}");
        assertTrue(third.denied(), "two successes spend the limit of two; the failures did not: " + third);
    }

    @Test
    void malformedCallsAreDeniedNotCrashed() throws Exception {
        assertEquals(new ToolResult(true, "[POLICY DENIED] call denied: the call names no tool"),
                StdioServer.ToolResult.of(server.rawCall("{\"arguments\":{}}")));
        assertEquals(new ToolResult(true, "[POLICY DENIED] call denied: the tool's arguments are not an object"),
                StdioServer.ToolResult.of(server.rawCall("{\"name\":\"echo\",\"arguments\":\"oops\"}")));
        assertFalse(toolsThatRan().contains("echo"), "neither reached the tool");
        assertEquals(new ToolResult(false, "echo: still here"), server.call("echo", "{\"text\":\"still here\"}"));
    }

    @Test
    void theAppSeesNothingOfTheAgentAndNoJdkInternalsAreOpenedToIt() throws Exception {
        // The policy has limits, so the agent granted its counter store the JDK internals it needs at start-up.
        assertEquals(new ToolResult(false, "agentClasses=false engineClasses=false shadedByteBuddy=false"
                + " javaLangOpen=false sunNioChOpen=false jdkInternalRefExported=false"), server.call("inspect", "{}"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void stdoutCarriesOnlyJsonRpcAndTheAgentSpeaksOnStderr() {
        for (String line : server.jvm().stdoutLines()) {
            Map<String, Object> message = Json.object(line);
            assertEquals("2.0", message.get("jsonrpc"), line);
        }
        List<String> stderr = server.jvm().stderrLines();
        assertTrue(stderr.stream().anyMatch(l -> l.startsWith("[policylayer] policy ")), server.jvm().describe());
        assertTrue(stderr.stream().anyMatch(l -> l.startsWith("[policylayer] instrumented MCP SDK server tools/call")),
                server.jvm().describe());
        assertTrue(stderr.stream().noneMatch(l -> l.contains("hello") || l.contains("20000")),
                "no argument value is ever logged");
        assertTrue(stderr.stream().noneMatch(l -> l.contains("no tools/call choke point") || l.contains("NOT enforced")
                || l.contains("WITHOUT enforcement")), "no false alarm: " + server.jvm().describe());
    }
}
