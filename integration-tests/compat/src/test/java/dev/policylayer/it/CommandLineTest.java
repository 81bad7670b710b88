package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.AgentJar;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.StdioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void countersListsASharedFileWhileTheServerUsingItKeepsCounting() throws Exception {
        Path counters = Files.createTempDirectory("counters-").resolve("counters.dat");
        Path policy = ForkedJvm.policyFile("{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"limited\":"
                + "{\"limits\":[{\"counter\":\"limited-calls\",\"max\":3,\"window\":\"1h\"}]}}}");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName()).withAgent(policy)
                .option("-Dpolicylayer.counters=" + counters).start())) {
            assertFalse(server.call("limited", "{}").isError());
            assertFalse(server.call("limited", "{}").isError());
            try (ForkedJvm cli = ForkedJvm.ofJar(AgentJar.path()).argument("counters").argument(counters.toString())
                    .start()) {
                assertEquals(0, cli.waitFor(60), cli.describe());
                List<String> lines = cli.stdoutLines();
                assertTrue(lines.get(0).startsWith("COUNTER"), lines.toString());
                assertTrue(lines.stream().anyMatch(l -> l.matches("limited-calls\\s+grant\\s+default\\s+1h\\s+sliding\\s+2")),
                        lines.toString());
            }
            // Reading took nothing: one call left of three, then the limit.
            assertFalse(server.call("limited", "{}").isError());
            assertTrue(server.call("limited", "{}").denied());
        }
    }

    @Test
    void countersOnAFileThatIsNotOneSaysSoAndExitsWithOne() throws Exception {
        Path notCounters = ForkedJvm.policyFile("{}");
        try (ForkedJvm cli = ForkedJvm.ofJar(AgentJar.path()).argument("counters").argument(notCounters.toString())
                .start()) {
            assertEquals(1, cli.waitFor(60), cli.describe());
            assertTrue(cli.stderrLines().stream().anyMatch(l -> l.contains(notCounters.getFileName().toString())),
                    cli.describe());
        }
    }
}
