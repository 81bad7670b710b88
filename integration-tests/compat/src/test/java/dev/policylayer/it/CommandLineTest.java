package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.harness.AgentJar;
import dev.policylayer.it.harness.ForkedJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code java -jar policylayer.jar}: the agent jar is also the command-line tool, with no extra JVM flags. */
class CommandLineTest {

    @Test
    void simulateRunsFromTheJarWithCountersAndNoFlags() throws Exception {
        Path policy = ForkedJvm.policyFile("{\"version\":\"1\",\"default\":\"allow\","
                + "\"tools\":{\"search\":{\"rate_limit\":{\"max\":1,\"window\":60}}}}");
        try (ForkedJvm cli = ForkedJvm.ofJar(AgentJar.path())
                .argument("simulate").argument(policy.toString()).argument("--tool").argument("search")
                .argument("--times").argument("2").start()) {
            assertTrue(cli.nextLine(60).startsWith("1\tALLOW\t/tools/search"), cli.describe());
            assertTrue(cli.nextLine(60).startsWith("2\tDENY\t/tools/search/rate_limit"), cli.describe());
            assertEquals(0, cli.waitFor(60), cli.describe());
        }
    }
}
