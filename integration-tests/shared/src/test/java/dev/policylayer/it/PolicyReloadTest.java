package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.fixture.JsonLine;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Editing the policy file of a running server on this module's SDK release: the next call is decided by the
 * new policy, and a changed hide list reaches the connected client as {@code notifications/tools/list_changed}.
 */
class PolicyReloadTest {
    private static final String HIDE_NOTHING_DENY_DROP = "{\"version\":\"1\",\"default\":\"allow\","
            + "\"tools\":{\"drop_table\":{\"action\":\"deny\"}}}";
    private static final String HIDE_ECHO_ALLOW_ALL = "{\"version\":\"1\",\"default\":\"allow\",\"hide\":[\"echo\"]}";

    /**
     * Before 2.1.0 the SDK's stdio transport drops a message emitted while another is being emitted, and the session
     * dies: a notification sent from the agent's watch thread while a response is being written would do that. So
     * with a call in flight the notification waits for that call's answer and follows it, on the same thread.
     */
    @Test
    void aHideChangeWhileACallIsInFlightIsAnnouncedRightAfterItsAnswer() throws Exception {
        Path policy = ForkedJvm.policyFile(HIDE_NOTHING_DENY_DROP);
        Path release = policy.resolveSibling(policy.getFileName() + ".release");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(policy).start())) {
            int inFlight = server.send("tools/call", "{\"name\":\"wait_for\",\"arguments\":{\"file\":"
                    + JsonLine.of(release.toString()) + "}}");
            Path started = release.resolveSibling(release.getFileName() + ".started");
            for (long deadline = System.nanoTime() + 60_000_000_000L; !Files.exists(started); Thread.sleep(5)) {
                assertTrue(System.nanoTime() < deadline, "the call never reached the tool: " + server.jvm().describe());
            }
            save(policy, HIDE_ECHO_ALLOW_ALL);
            awaitStderr(server, "more once their calls in flight are answered");
            assertTrue(server.jvm().stdoutLines().stream().noneMatch(l -> l.contains("list_changed")),
                    "announced while a call was in flight: " + server.jvm().stdoutLines());

            Files.createFile(release);
            assertEquals(new StdioServer.ToolResult(false, "waited for " + release.getFileName()),
                    StdioServer.ToolResult.of(server.await(inFlight)));
            server.awaitNotification("notifications/tools/list_changed", 60);
            List<String> lines = server.jvm().stdoutLines();
            int answer = indexOf(lines, "\"id\":" + inFlight + ",");
            int notification = indexOf(lines, "list_changed");
            assertTrue(answer >= 0 && notification > answer, "the answer, then the notification: " + lines);
            assertFalse(server.listToolNames().contains("echo"));
            assertEquals(new StdioServer.ToolResult(false, "drop_table ran"), server.call("drop_table", "{}"));
        } finally {
            Files.deleteIfExists(release);
            Files.deleteIfExists(release.resolveSibling(release.getFileName() + ".started"));
        }
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static void save(Path policy, String text) throws Exception {
        Path temp = policy.resolveSibling(policy.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitStderr(StdioServer server, String text) throws InterruptedException {
        for (long deadline = System.nanoTime() + 60_000_000_000L; server.jvm().stderrLines().stream()
                .noneMatch(l -> l.contains(text)); Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline, "stderr never said \"" + text + "\": " + server.jvm().describe());
        }
    }

    @Test
    void anEditorStyleSaveIsEnforcedOnTheNextCallAndAHideChangeIsAnnounced() throws Exception {
        Path policy = ForkedJvm.policyFile(HIDE_NOTHING_DENY_DROP);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(policy).start())) {
            assertTrue(server.call("drop_table", "{}").denied());
            assertTrue(server.listToolNames().contains("echo"));

            save(policy, HIDE_ECHO_ALLOW_ALL);

            assertEquals(new StdioServer.ToolResult(false, "drop_table ran"), server.call("drop_table", "{}"));
            server.awaitNotification("notifications/tools/list_changed", 30);
            List<String> listed = server.listToolNames();
            assertFalse(listed.contains("echo"), listed.toString());
            assertTrue(server.call("echo", "{\"text\":\"hi\"}").denied());
        }
    }
}
