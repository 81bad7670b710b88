package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
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

    @Test
    void anEditorStyleSaveIsEnforcedOnTheNextCallAndAHideChangeIsAnnounced() throws Exception {
        Path policy = ForkedJvm.policyFile(HIDE_NOTHING_DENY_DROP);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(policy).start())) {
            assertTrue(server.call("drop_table", "{}").denied());
            assertTrue(server.listToolNames().contains("echo"));

            Path temp = policy.resolveSibling(policy.getFileName() + ".tmp");
            Files.writeString(temp, HIDE_ECHO_ALLOW_ALL);
            Files.move(temp, policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertEquals(new StdioServer.ToolResult(false, "drop_table ran"), server.call("drop_table", "{}"));
            server.awaitNotification("notifications/tools/list_changed", 30);
            List<String> listed = server.listToolNames();
            assertFalse(listed.contains("echo"), listed.toString());
            assertTrue(server.call("echo", "{\"text\":\"hi\"}").denied());
        }
    }
}
