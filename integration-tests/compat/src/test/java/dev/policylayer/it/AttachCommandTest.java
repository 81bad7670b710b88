package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.AgentJar;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar policylayer.jar attach} and {@code jvms}, run as an operator would, against a stdio server that
 * started without the agent: what they print, what is enforced afterwards, and their failures.
 */
class AttachCommandTest {

    @Test
    void theAttachCommandEnforcesARunningServerAndSaysWhatItEnforces() throws Exception {
        Path policy = ForkedJvm.policyFile("""
                {"version": "1", "default": "deny", "tools": {"echo": {}}}""");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName()).start())) {
            long pid = server.jvm().pid();
            assertFalse(server.call("create_refund", "{\"reason\":\"r\",\"amount\":1}").isError(),
                    "before the attach an unlisted tool answers");
            Command jvmsBefore = command("jvms");
            assertTrue(jvmsBefore.out().contains(pid + "  ") && jvmsBefore.out().contains("MCP SDK server")
                    && jvmsBefore.out().lines().anyMatch(l -> l.startsWith(pid + " ") && l.endsWith("agent: not loaded")),
                    jvmsBefore.toString());

            Command attached = command("attach", Long.toString(pid), "--policy", policy.toString());
            assertEquals(0, attached.exit(), attached.toString());
            assertTrue(attached.out().contains("attached to process " + pid + ": policy " + policy)
                    && attached.out().contains("enforcing ") && attached.out().contains("McpAsyncServer"),
                    attached.toString());
            assertTrue(server.call("create_refund", "{\"reason\":\"r\",\"amount\":1}").denied(),
                    server.jvm().describe());
            assertFalse(server.call("echo", "{\"text\":\"x\"}").isError());

            Command again = command("attach", Long.toString(pid));
            assertEquals(1, again.exit(), again.toString());
            assertTrue(again.err().contains("the agent is already running in process " + pid + ": policy " + policy),
                    again.toString());
            Command jvmsAfter = command("jvms");
            assertTrue(jvmsAfter.out().lines().anyMatch(l -> l.startsWith(pid + " ")
                    && l.contains("agent: running, policy " + policy)), jvmsAfter.toString());
        }
        Command missing = command("attach", "2147483646");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no process has the pid 2147483646"), missing.toString());
        assertFalse(missing.err().contains("Exception"), missing.toString());
    }

    /** What one {@code java -jar policylayer.jar ...} process printed, and its exit code. */
    record Command(int exit, String out, String err) {
    }

    private static Command command(String... words) throws Exception {
        ForkedJvm.Builder builder = ForkedJvm.ofJar(AgentJar.path());
        for (String word : words) {
            builder.argument(word);
        }
        try (ForkedJvm cli = builder.start()) {
            int exit = cli.waitForAllOutput(120);
            return new Command(exit, String.join("\n", cli.stdoutLines()), String.join("\n", cli.stderrLines()));
        }
    }
}
