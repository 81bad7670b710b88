package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.AgentJar;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A server already running without the agent is enforced from the moment the agent is attached to it. */
class LateAttachTest {

    @Test
    void callsAfterAttachAreEnforced() throws Exception {
        Path policy = ForkedJvm.policyFile(FixturePolicy.JSON);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName()).start())) {
            assertFalse(server.call("drop_table", "{}").isError(), "before the attach nothing is enforced");
            assertTrue(server.listToolNames().contains("delete_account"));

            VirtualMachine vm = VirtualMachine.attach(Long.toString(server.jvm().pid()));
            try {
                vm.loadAgent(AgentJar.path().toString(), "policy=" + policy);
            } finally {
                vm.detach();
            }

            assertTrue(server.call("drop_table", "{}").denied(), server.jvm().describe());
            assertFalse(server.listToolNames().contains("delete_account"));
            assertFalse(server.call("echo", "{\"text\":\"x\"}").isError());
            assertTrue(server.jvm().stderrLines().stream().anyMatch(l -> l.contains("attached to a running JVM")),
                    server.jvm().describe());
        }
    }
}
