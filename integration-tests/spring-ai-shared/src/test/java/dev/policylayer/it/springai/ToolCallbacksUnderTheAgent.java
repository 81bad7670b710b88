package dev.policylayer.it.springai;

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
 * A Spring AI app ({@link SpringAiApp}) started with {@code -javaagent:policylayer.jar} and no code change: its MCP
 * tool callbacks, run by Spring AI's own tool loop, are hidden, denied, argument-checked and rate-limited by the
 * agent's client-side instrumentation of the MCP SDK release this Spring AI release brings. The MCP server child
 * runs without the agent, so everything denied here was denied inside the Spring AI app, and the child's run log
 * proves it never reached the tool. One subclass per MCP client flavour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ToolCallbacksUnderTheAgent {

    private Path runLog;
    private List<String> offered;
    /** What the model reads for each call of {@link SpringAiApp#script()}, in order. */
    private List<String> responses;
    /** What the strict tool loop threw for {@link SpringAiApp#STRICT_CALL}. */
    private String strictThrown;
    private List<String> appStderr;

    /** {@code sync} or {@code async}: which MCP client, and which Spring AI callbacks, the app uses. */
    abstract String flavour();

    @BeforeAll
    @SuppressWarnings("unchecked")
    void runTheApp() throws Exception {
        runLog = Files.createTempFile("runlog-", ".txt");
        try (ForkedJvm app = ForkedJvm.of(SpringAiApp.class.getName())
                .withAgent(ForkedJvm.policyFile(FrameworkPolicy.JSON))
                .option("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .argument(flavour())
                .argument(runLog.toString())
                .start()) {
            offered = (List<String>) Json.object(app.nextLine(60)).get("tools");
            responses = new ArrayList<>();
            for (Map.Entry<String, String> call : SpringAiApp.script()) {
                Map<String, Object> line = Json.object(app.nextLine(60));
                assertEquals(call.getKey(), line.get("call"), line.toString());
                responses.add((String) line.get("response"));
            }
            Map<String, Object> strict = Json.object(app.nextLine(60));
            assertEquals(SpringAiApp.STRICT_CALL.getKey(), strict.get("call"), strict.toString());
            strictThrown = (String) strict.get("thrown");
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
    void theAgentInstrumentedTheSdkThatSpringAiBrought() {
        assertTrue(appStderr.stream().anyMatch(l -> l.startsWith("[policylayer] instrumented MCP SDK client tools/call")),
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

    /**
     * Spring AI's MCP callbacks (1.0 to 2.0) throw {@code ToolExecutionException} on an {@code isError} result, and
     * the default exception processor hands the model the exception's message instead: the denial arrives wrapped
     * as {@code Error calling tool: [TextContent[..., text=[POLICY DENIED] ...]]} (the SDK's record toString), not
     * as bare text starting with {@code [POLICY DENIED]}. The model still reads the whole denial.
     */
    @Test
    void theModelReadsTheDenialInsideSpringAisToolErrorMessage() {
        for (String denied : List.of(responses.get(1), responses.get(2), responses.get(5))) {
            assertTrue(denied.startsWith("Error calling tool: [TextContent[") && denied.contains("text=[POLICY DENIED] "),
                    denied);
        }
    }

    /**
     * With {@code spring.ai.tools.throw-exception-on-error=true} the same denial is not shown to the model: the tool
     * loop throws it at the app (the chat call fails). The tool still never runs.
     */
    @Test
    void aToolLoopSetToThrowFailsTheCallWithTheDenialInstead() throws Exception {
        assertTrue(strictThrown.startsWith("ToolExecutionException: Error calling tool: ")
                && strictThrown.contains("[POLICY DENIED] Schema changes go through migrations."), strictThrown);
        assertFalse(toolsThatRan().contains("drop_table"), toolsThatRan().toString());
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

    private List<String> toolsThatRan() throws Exception {
        return Files.readAllLines(runLog);
    }
}
