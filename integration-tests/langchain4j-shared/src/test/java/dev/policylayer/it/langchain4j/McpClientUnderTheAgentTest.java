package dev.policylayer.it.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FrameworkPolicy;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A LangChain4j app ({@link LangChain4jApp}) on this module's release, started with
 * {@code -javaagent:policylayer.jar} and no code change: its {@code DefaultMcpClient} (LangChain4j's own MCP
 * client, which the MCP SDK advice never sees) has hidden tools left out of {@code listTools()}, and denied,
 * argument-checked and rate-limited calls answered inside the app. The server child runs without the agent;
 * its run log proves no denied call reached a tool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpClientUnderTheAgentTest {

    private Path runLog;
    private List<String> listed;
    private final List<Map<String, Object>> results = new ArrayList<>();
    private List<String> appStderr;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void runTheApp() throws Exception {
        runLog = Files.createTempFile("runlog-", ".txt");
        try (ForkedJvm app = ForkedJvm.of(LangChain4jApp.class.getName())
                .withAgent(ForkedJvm.policyFile(FrameworkPolicy.JSON))
                .option("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .argument(runLog.toString())
                .start()) {
            listed = (List<String>) Json.object(app.nextLine(60)).get("tools");
            for (Map.Entry<String, String> call : LangChain4jApp.SCRIPT) {
                Map<String, Object> line = Json.object(app.nextLine(60));
                assertEquals(call.getKey(), line.get("call"), line.toString());
                results.add(line);
            }
            assertEquals(Map.of("done", true), Json.object(app.nextLine(60)));
            assertEquals(0, app.waitFor(30), app.describe());
            appStderr = app.stderrLines();
        }
    }

    @AfterAll
    void deleteRunLog() throws Exception {
        Files.deleteIfExists(runLog);
    }

    @Test
    void theAgentSaysItInstrumentedLangChain4jsClient() {
        assertTrue(appStderr.stream().anyMatch(l -> l.startsWith("[policylayer] instrumented LangChain4j client "
                + "executeTool and listTools in dev.langchain4j.mcp.client.DefaultMcpClient")), appStderr.toString());
    }

    @Test
    void hiddenToolsAreNotListedAndCallingThemByNameIsDenied() {
        assertFalse(listed.contains("delete_account"), listed.toString());
        assertTrue(listed.containsAll(List.of("echo", "drop_table", "limited")), listed.toString());
        assertDenied(0, "(hidden)");
    }

    @Test
    void anExplicitDenyIsAnsweredInTheAppWithTheReason() {
        assertDenied(1, "/tools/drop_table/action");
        assertTrue(text(1).contains("Schema changes go through migrations."), text(1));
    }

    @Test
    void anArgumentRuleDeniesTheBadCallAndAllowsTheGoodOne() {
        assertDenied(2, "/tools/echo/deny_if/0");
        assertEquals("echo: hello", text(3));
        assertNotAnError(3);
    }

    @Test
    void argumentsThatAreNotAnObjectAreDeniedBeforeLangChain4jSendsThem() {
        assertTrue(text(4).startsWith("[POLICY DENIED] call denied: the arguments are not a JSON object"), text(4));
    }

    @Test
    void theRateLimitAllowsMaxCallsThenDenies() {
        assertEquals("limited ran", text(5));
        assertEquals("limited ran", text(6));
        assertDenied(7, "/tools/limited/limits/0");
        assertTrue(text(7).contains("2 calls per 60s reached"), text(7));
    }

    @Test
    void nothingDeniedReachedTheServer() throws Exception {
        assertEquals(List.of("echo", "limited", "limited"), Files.readAllLines(runLog));
    }

    private String text(int call) {
        return (String) results.get(call).get("text");
    }

    /**
     * The text starts with the denial marker; a release whose {@code executeTool} returns a
     * {@code ToolExecutionResult} (1.6 on) has {@code isError} set, one that returns the text has no such flag.
     */
    private void assertDenied(int call, String rule) {
        assertTrue(text(call).startsWith("[POLICY DENIED] ") && text(call).contains(rule), results.get(call).toString());
        if (executeToolReturnsText()) {
            assertFalse(results.get(call).containsKey("isError"), results.get(call).toString());
        } else {
            assertEquals(Boolean.TRUE, results.get(call).get("isError"), results.get(call).toString());
        }
    }

    private static boolean executeToolReturnsText() {
        try {
            return dev.langchain4j.mcp.client.DefaultMcpClient.class
                    .getMethod("executeTool", dev.langchain4j.agent.tool.ToolExecutionRequest.class)
                    .getReturnType() == String.class;
        } catch (NoSuchMethodException notThisRelease) {
            throw new AssertionError("DefaultMcpClient has no executeTool(ToolExecutionRequest)", notThisRelease);
        }
    }

    private void assertNotAnError(int call) {
        assertTrue(!Boolean.TRUE.equals(results.get(call).get("isError")), results.get(call).toString());
    }
}
