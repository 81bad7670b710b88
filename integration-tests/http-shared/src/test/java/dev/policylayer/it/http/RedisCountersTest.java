package dev.policylayer.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.policylayer.it.http.HttpClients.url;

import dev.policylayer.it.fixture.Sdk;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.testsupport.RedisServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits counted in a real Redis (started by the test on a free loopback port) by servers in separate JVMs with the
 * agent, called over streamable HTTP by real SDK clients: what the tools really ran is the evidence.
 */
class RedisCountersTest {
    private static final String POLICY = """
            {"version": "1", "default": "allow",
             "tools": {
               "limited": {"limits": [{"counter": "limited", "window": "1h", "max": 200}]},
               "spend": {"limits": [{"counter": "spend", "window": "1h", "max": 1000, "increment_from": "args.amount"}]},
               "flaky": {"limits": [{"counter": "flaky", "window": "1h", "max": 2}]}
             }}""";

    @TempDir
    Path dir;

    @Test
    void threeServersOfEightCallersEachNeverPassTheLimitOrTheBudgetAndReachThem() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            List<ForkedJvm> servers = new ArrayList<>();
            List<String> urls = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ForkedJvm server = start(redis.url(), dir.resolve("runlog-" + i), "-Dpolicylayer.counters.redis"
                            + ".timeout=10s");
                    servers.add(server);
                    urls.add(url(server));
                }
                ExecutorService callers = Executors.newFixedThreadPool(24);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 24; c++) {
                    String url = urls.get(c % 3);
                    int caller = c;
                    done.add(callers.submit(() -> {
                        try (McpSyncClient client = client(url)) {
                            for (int i = 0; i < 30; i++) {
                                client.callTool(new McpSchema.CallToolRequest("limited", Map.of()));
                                double amount = (i + caller) % 2 == 0 ? 0.001 : 33.333;
                                client.callTool(new McpSchema.CallToolRequest("spend", Map.of("amount", amount)));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> caller : done) {
                    caller.get();
                }
                callers.shutdown();
            } finally {
                servers.forEach(ForkedJvm::close);
            }
            long limited = 0;
            BigDecimal spent = BigDecimal.ZERO;
            for (int i = 0; i < 3; i++) {
                for (String line : Files.readAllLines(dir.resolve("runlog-" + i))) {
                    if (line.equals("limited")) {
                        limited++;
                    } else if (line.startsWith("spend ")) {
                        spent = spent.add(new BigDecimal(line.substring("spend ".length())));
                    }
                }
            }
            assertEquals(200, limited, "720 calls, a limit of 200 across three servers: exactly 200 ran");
            assertTrue(spent.compareTo(new BigDecimal("1000")) <= 0, "never more than the budget: " + spent);
            assertTrue(spent.compareTo(new BigDecimal("966.667")) > 0, "and filled to within one amount: " + spent);
        }
    }

    @Test
    void redisStoppedDeniesLimitedCallsWithTheReasonAndCountingResumesWhenItIsBack() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ForkedJvm server = start(redis.url(), dir.resolve("runlog"), "-Dpolicylayer.counters.redis.timeout=1s");
             McpSyncClient client = client(url(server))) {
            assertEquals("limited ran", text(client.callTool(new McpSchema.CallToolRequest("limited", Map.of()))));
            redis.stop();
            McpSchema.CallToolResult down = client.callTool(new McpSchema.CallToolRequest("limited", Map.of()));
            assertTrue(Boolean.TRUE.equals(down.isError()) && text(down).contains("cannot be counted")
                    && text(down).contains("Redis counter store at redis://127.0.0.1:" + redis.port()), text(down));
            assertEquals("echo: still", text(client.callTool(new McpSchema.CallToolRequest("echo",
                    Map.of("text", "still")))), "a tool without limits is served as ever");
            redis.restart();
            String back = null;
            for (long deadline = System.nanoTime() + 60_000_000_000L; !"limited ran".equals(back); ) {
                assertTrue(System.nanoTime() < deadline, "counting never resumed: " + back);
                back = text(client.callTool(new McpSchema.CallToolRequest("limited", Map.of())));
            }
        }
    }

    @Test
    void aRedisThatDoesNotAnswerInTimeDeniesAtTheTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ForkedJvm server = start(redis.url(), dir.resolve("runlog"), "-Dpolicylayer.counters.redis.timeout=300ms");
             McpSyncClient client = client(url(server))) {
            assertEquals("limited ran", text(client.callTool(new McpSchema.CallToolRequest("limited", Map.of()))));
            redis.command("CLIENT", "PAUSE", "5000", "ALL");
            try {
                McpSchema.CallToolResult slow = client.callTool(new McpSchema.CallToolRequest("limited", Map.of()));
                assertTrue(text(slow).contains("did not answer"), text(slow));
                assertEquals("echo: meanwhile", text(client.callTool(new McpSchema.CallToolRequest("echo",
                        Map.of("text", "meanwhile")))));
            } finally {
                redis.command("CLIENT", "UNPAUSE");
            }
        }
    }

    @Test
    void aWrongPasswordIsAClearStartUpErrorAndLimitedCallsAreDenied() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", "the-right-one");
             ForkedJvm server = start(redis.url(":not-it"), dir.resolve("runlog"));
             McpSyncClient client = client(url(server))) {
            McpSchema.CallToolResult denied = client.callTool(new McpSchema.CallToolRequest("limited", Map.of()));
            assertTrue(Boolean.TRUE.equals(denied.isError()) && text(denied).contains("refused the credentials"),
                    text(denied));
            assertTrue(server.stderrLines().stream().anyMatch(l -> l.contains("counters could not be opened")
                    && l.contains("policylayer.counters")), server.describe());
            assertTrue(server.stderrLines().stream().noneMatch(l -> l.contains("not-it") || l.contains("the-right-one")),
                    "no password in the log: " + server.describe());
            assertFalse(Files.exists(dir.resolve("runlog")) && Files.readString(dir.resolve("runlog")).contains("limited"));
        }
    }

    @Test
    void aToolThatThrowsOrFailsGivesItsQuotaBack() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ForkedJvm server = start(redis.url(), dir.resolve("runlog"));
             McpSyncClient client = client(url(server))) {
            for (int i = 0; i < 3; i++) {
                assertEquals("flaky failed", text(client.callTool(new McpSchema.CallToolRequest("flaky",
                        Map.of("fail", true)))));
                // The tool's exception reaches the client as a JSON-RPC error: not a denial.
                McpError threw = org.junit.jupiter.api.Assertions.assertThrows(McpError.class, () -> client.callTool(
                        new McpSchema.CallToolRequest("flaky", Map.of("throw", true))));
                assertTrue(threw.getMessage().contains("flaky threw"), threw.getMessage());
            }
            assertEquals("flaky ran", text(client.callTool(new McpSchema.CallToolRequest("flaky", Map.of()))));
            assertEquals("flaky ran", text(client.callTool(new McpSchema.CallToolRequest("flaky", Map.of()))));
            assertTrue(text(client.callTool(new McpSchema.CallToolRequest("flaky", Map.of()))).startsWith(
                    "[POLICY DENIED]"), "two successes spend the limit of two; the failures did not");
        }
    }

    private ForkedJvm start(String redisUrl, Path runLog, String... options) throws Exception {
        ForkedJvm.Builder builder = ForkedJvm.of(HttpFixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.counters=" + redisUrl)
                .option("-Dfixture.runlog=" + runLog).argument("streamable");
        for (String option : options) {
            builder.option(option);
        }
        return builder.start();
    }

    private static McpSyncClient client(String url) {
        return HttpClients.client(url, "streamable", null);
    }

    private static String text(McpSchema.CallToolResult result) {
        return Sdk.text(result);
    }
}
