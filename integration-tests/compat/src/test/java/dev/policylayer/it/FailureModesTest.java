package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a broken policy, fail-open and monitor mode do to a running server's calls. */
class FailureModesTest {
    private static final String BROKEN = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"echo\":{\"deny-if\":[]}}}";

    @Test
    void aPolicyThatCannotBeLoadedDeniesEveryCallAndSaysWhy() throws Exception {
        Path policy = ForkedJvm.policyFile(BROKEN);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(policy).start())) {
            ToolResult result = server.call("echo", "{\"text\":\"hi\"}");
            assertTrue(result.denied(), result.toString());
            assertTrue(result.text().contains("(policy error)") && result.text().contains("did you mean \"deny_if\"?"),
                    result.text());
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("every tool call will be DENIED")),
                    server.jvm().describe());
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("at /tools/echo/deny-if")),
                    server.jvm().describe());
        }
    }

    @Test
    void failOpenAllowsEveryCallWithAWarning() throws Exception {
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(BROKEN)).option("-Dpolicylayer.fail=open").start())) {
            assertEquals(new ToolResult(false, "echo: hi"), server.call("echo", "{\"text\":\"hi\"}"));
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("every tool call is ALLOWED")),
                    server.jvm().describe());
        }
    }

    @Test
    void monitorModeDecidesAndLogsButBlocksNothing() throws Exception {
        String policy = "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"drop_table\":{\"action\":\"deny\"}}}";
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(policy)).option("-Dpolicylayer.mode=monitor").start())) {
            ToolResult result = server.call("drop_table", "{}");
            assertFalse(result.isError(), result.toString());
            assertEquals("drop_table ran", result.text());
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.equals(
                    "[policylayer] monitor: server call to tool \"drop_table\" would be denied by /tools/drop_table/action")),
                    server.jvm().describe());
        }
    }
}
