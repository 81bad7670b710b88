package dev.policylayer.it.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * A Spring AI app ({@link SpringAiApp}) started with {@code -javaagent:policylayer.jar} and no code change: its MCP
 * tool callbacks, run by Spring AI's own tool loop, are hidden, denied, argument-checked and rate-limited by the
 * agent's client-side instrumentation of the MCP SDK release this Spring AI release brings. The MCP server child
 * runs without the agent, so everything denied here was denied inside the Spring AI app, and the child's run log
 * proves it never reached the tool.
 */
class SpringAiToolCallingTest {
    static final String POLICY = """
            {
              "version": "1",
              "default": "allow",
              "hide": ["delete_account"],
              "tools": {
                "drop_table": { "action": "deny", "reason": "Schema changes go through migrations." },
                "echo": { "deny_if": [ {"path": "args.text", "op": "contains", "value": "rm -rf"} ] },
                "limited": { "limits": [ {"counter": "limited", "max": 2, "window": "60s"} ] }
              }
            }""";

    private static Path runLog;
    private static List<String> offered;
    /** What the model reads for each call of {@link SpringAiApp#script()}, in order. */
    private static List<String> responses;
    private static List<String> appStderr;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void runTheApp() throws Exception {
        runLog = Files.createTempFile("runlog-", ".txt");
        try (ForkedJvm app = ForkedJvm.of(SpringAiApp.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY))
                .option("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .argument(runLog.toString())
                .start()) {
            offered = (List<String>) Json.object(app.nextLine(60)).get("tools");
            responses = new ArrayList<>();
            for (Map.Entry<String, String> call : SpringAiApp.script()) {
                Map<String, Object> line = Json.object(app.nextLine(60));
                assertEquals(call.getKey(), line.get("call"), line.toString());
                responses.add((String) line.get("response"));
            }
            assertEquals(Map.of("done", true), Json.object(app.nextLine(60)));
            assertEquals(0, app.waitFor(30), app.describe());
            appStderr = app.stderrLines();
        }
    }

    @AfterAll
    static void deleteRunLog() throws Exception {
        Files.deleteIfExists(runLog);
    }

    @Test
    void theAgentInstrumentedTheSdkThatSpringAiBrought() {
        assertTrue(appStderr.stream().anyMatch(l -> l.startsWith("[policylayer] instrumented client tools/call")),
                String.join("\n", appStderr));
    }

    @Test
    void aHiddenToolGetsNoCallbackSoTheModelIsNeverOfferedIt() {
        assertFalse(offered.stream().anyMatch(name -> offers(name, "delete_account")), offered.toString());
        for (String visible : List.of("echo", "create_refund", "drop_table", "limited", "flaky")) {
            assertTrue(offered.stream().anyMatch(name -> offers(name, visible)), visible + " in " + offered);
        }
    }

    @Test
    void aDeniedToolAnswersTheModelWithTheDenialAndNeverRuns() throws Exception {
        assertDenied(responses.get(2), "Schema changes go through migrations.");
        assertFalse(toolsThatRan().contains("drop_table"), toolsThatRan().toString());
    }

    @Test
    void anArgumentRuleDeniesTheBadCallAndAllowsTheGoodOne() throws Exception {
        assertAllowed(responses.get(0), "echo: hello");
        assertDenied(responses.get(1), "/tools/echo/deny_if/0");
        assertEquals(1, toolsThatRan().stream().filter("echo"::equals).count(), toolsThatRan().toString());
    }

    @Test
    void aRateLimitAllowsMaxCallsAndDeniesTheNext() throws Exception {
        assertAllowed(responses.get(3), "limited ran");
        assertAllowed(responses.get(4), "limited ran");
        assertDenied(responses.get(5), "2 calls per 60s reached");
        assertEquals(2, toolsThatRan().stream().filter("limited"::equals).count(), toolsThatRan().toString());
    }

    @Test
    void onlyTheAllowedCallsReachedTheServer() throws Exception {
        assertEquals(List.of("echo", "limited", "limited"), toolsThatRan());
    }

    /** Spring AI 1.0 offers {@code <client name>_<tool>}, later releases the MCP tool name itself. */
    private static boolean offers(String offeredName, String mcpName) {
        return offeredName.equals(mcpName) || offeredName.endsWith("_" + mcpName);
    }

    private static void assertAllowed(String response, String toolOutput) {
        assertTrue(response.contains(toolOutput) && !response.contains("[POLICY DENIED]"), response);
    }

    private static void assertDenied(String response, String because) {
        assertTrue(response.contains("[POLICY DENIED] ") && response.contains(because), response);
    }

    private static List<String> toolsThatRan() throws Exception {
        return Files.readAllLines(runLog);
    }
}
