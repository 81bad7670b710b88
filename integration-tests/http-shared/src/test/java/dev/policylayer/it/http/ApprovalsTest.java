package dev.policylayer.it.http;

import static dev.policylayer.it.http.HttpClients.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.policylayer.it.fixture.Sdk;
import dev.policylayer.it.harness.AgentJar;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.testsupport.RedisServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals end to end: servers in forked JVMs with the built agent, real SDK clients over streamable HTTP, and the
 * operator's {@code approvals} command run as its own process on the same store. What the tools really ran (the
 * fixture's run log) is the evidence.
 */
class ApprovalsTest {
    private static final String POLICY = """
            {"version": "1", "default": "allow",
             "tools": {
               "echo": {"action": "require_approval", "approval": {"mode": ["ask", "async"], "timeout": "5s"}},
               "delete_account": {"action": "require_approval", "approval": {"mode": "hold", "timeout": "90s"}},
               "drop_table": {"action": "require_approval", "approval": {"mode": "hold", "timeout": "2s"}},
               "spend": {"action": "require_approval"}
             }}""";
    private static final Pattern ID = Pattern.compile("approval ([0-9a-f-]{36})");
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    // ---- ask

    @Test
    void theUserAskedAcceptsAndTheToolRunsOnceDeclinesOrCancelsAndItDoesNot() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        BlockingQueue<McpSchema.ElicitResult> answers = new LinkedBlockingQueue<>(List.of(
                accept(true), new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null),
                new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null), accept(false)));
        try (ForkedJvm server = start(dir.resolve("approvals.json"));
             McpSyncClient client = HttpClients.asking(url(server), question -> {
                 asked.add(question);
                 return answers.remove();
             }, progress -> { })) {
            assertEquals("echo: hello", call(client, "echo", Map.of("text", "hello")));
            assertTrue(asked.get(0).contains("echo") && asked.get(0).contains("\"text\": \"hello\""),
                    "the question names the tool and its arguments: " + asked.get(0));
            String declined = call(client, "echo", Map.of("text", "hello"));
            assertEquals(2, asked.size(), "one accept ran the call once: the same call asks again");
            assertTrue(declined.startsWith("[POLICY DENIED] ") && declined.contains("its user declined"), declined);
            String cancelled = call(client, "echo", Map.of("text", "hello"));
            assertTrue(cancelled.startsWith("[POLICY DENIED] ") && cancelled.contains("its user cancelled"),
                    cancelled);
            String unticked = call(client, "echo", Map.of("text", "hello"));
            assertTrue(unticked.contains("its user declined"), "accepting the form without approve: " + unticked);
            assertEquals(List.of("echo"), runs(), "only the accepted call ran");
        }
        String audit = Files.readString(dir.resolve("audit.jsonl"));
        assertTrue(audit.contains("MCP elicitation"), "the audit says who approved: " + audit);
    }

    @Test
    void aUserWhoNeverAnswersIsDeniedAtTheTimeout() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        try (ForkedJvm server = start(dir.resolve("approvals.json"));
             McpSyncClient client = HttpClients.asking(url(server), question -> {
                 try {
                     released.await(60, TimeUnit.SECONDS);
                 } catch (InterruptedException stopped) {
                     Thread.currentThread().interrupt();
                 }
                 return accept(true);
             }, progress -> { })) {
            String denied = call(client, "echo", Map.of("text", "anyone?"));
            assertTrue(denied.startsWith("[POLICY DENIED] ") && denied.contains("did not answer within 5s"), denied);
            released.countDown();
            assertEquals(List.of(), runs(), "a late accept runs nothing");
        } finally {
            released.countDown();
        }
    }

    @Test
    void aClientThatCannotBeAskedFallsBackToAsync() throws Exception {
        try (ForkedJvm server = start(dir.resolve("approvals.json"));
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            String pending = call(client, "echo", Map.of("text", "hi"));
            assertTrue(pending.startsWith("[APPROVAL REQUIRED] ") && pending.contains("call again once approved"),
                    pending);
            assertEquals("approved", cli("approve", id(pending)).firstWord(), "the operator approves it");
            assertEquals("echo: hi", call(client, "echo", Map.of("text", "hi")));
        }
    }

    // ---- async

    @Test
    void asyncApprovalRunsExactlyTheApprovedCallOnceAndADenialSaysWhy() throws Exception {
        Path store = dir.resolve("approvals.json");
        try (ForkedJvm server = start(store);
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            McpSchema.CallToolResult first = client.callTool(new McpSchema.CallToolRequest("spend",
                    Map.of("amount", 5)));
            String pending = Sdk.text(first);
            assertTrue(Boolean.TRUE.equals(first.isError()) && pending.startsWith("[APPROVAL REQUIRED] ")
                    && pending.contains("call again once approved"), pending);
            String id = id(pending);
            assertEquals(id, id(call(client, "spend", Map.of("amount", 5))), "a repeated call reuses its id");
            assertTrue(awaitLine(server, "approve it with: java -jar policylayer.jar approvals " + store
                    + " approve " + id), "the log says how to approve: " + server.describe());

            Cli approved = cli("approve", id);
            assertEquals(0, approved.exit(), approved.toString());
            assertTrue(approved.out().contains("(os user)"), "who approved is recorded: " + approved);
            String other = call(client, "spend", Map.of("amount", 6));
            assertNotEquals(id, id(other), "a changed argument is another call, with its own approval");
            assertEquals("spend ran", call(client, "spend", Map.of("amount", 5)));
            String again = call(client, "spend", Map.of("amount", 5));
            assertTrue(again.startsWith("[APPROVAL REQUIRED] "), "one use, used: " + again);
            String second = id(again);
            assertNotEquals(id, second);
            assertEquals(List.of("spend 5"), runs());

            assertEquals(0, cli("deny", second, "--reason", "not on a Friday").exit());
            String denied = call(client, "spend", Map.of("amount", 5));
            assertTrue(denied.startsWith("[POLICY DENIED] ") && denied.contains("was denied by")
                    && denied.contains("not on a Friday"), denied);
            Cli late = cli("approve", second);
            assertEquals(1, late.exit(), "a decided id cannot be approved: " + late);
            assertTrue(late.err().contains("already denied"), late.toString());
            assertEquals(List.of("spend 5"), runs());
        }
        String audit = Files.readString(dir.resolve("audit.jsonl"));
        for (String happened : List.of("requested", "approved", "used", "denied")) {
            assertTrue(audit.contains("\"event\":\"approval\"") && audit.contains("\"" + happened + "\""),
                    "the audit has a line for " + happened + ": " + audit);
        }
    }

    @Test
    void anApprovalThatExpiresCoversNothingAndAServerRestartKeepsAPendingOne() throws Exception {
        Path store = dir.resolve("approvals.json");
        String id;
        try (ForkedJvm server = start(store);
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            String expiring = id(call(client, "spend", Map.of("amount", 1)));
            assertEquals(0, cli("approve", expiring, "--for", "2s").exit());
            assertTrue(await(() -> cli("show", expiring).out().contains("expired")), "the approval never expired");
            String after = call(client, "spend", Map.of("amount", 1));
            assertTrue(after.startsWith("[APPROVAL REQUIRED] ") && !id(after).equals(expiring), after);
            id = id(call(client, "spend", Map.of("amount", 2)));
        }
        try (ForkedJvm server = start(store);
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            assertTrue(cli("list").out().contains(id + "  pending"), "the restart kept the pending approval");
            assertEquals(id, id(call(client, "spend", Map.of("amount", 2))), "and the same call still names it");
            assertEquals(0, cli("approve", id).exit());
            assertEquals("spend ran", call(client, "spend", Map.of("amount", 2)));
        }
        assertEquals(List.of("spend 2"), runs());
    }

    @Test
    void eightIdenticalCallsOnTwoServersRacingOneUseRunOnce() throws Exception {
        Path store = dir.resolve("approvals.json");
        try (ForkedJvm one = start(store, dir.resolve("runlog"));
             ForkedJvm two = start(store, dir.resolve("runlog-two"))) {
            List<String> urls = List.of(url(one), url(two));
            try (McpSyncClient first = HttpClients.client(urls.get(0), "streamable", null)) {
                String id = id(call(first, "spend", Map.of("amount", 9)));
                assertEquals(0, cli("approve", id, "--uses", "1").exit());
            }
            ExecutorService callers = Executors.newFixedThreadPool(8);
            CountDownLatch ready = new CountDownLatch(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String url = urls.get(i % 2);
                answers.add(callers.submit(() -> {
                    try (McpSyncClient client = HttpClients.client(url, "streamable", null)) {
                        ready.countDown();
                        go.await();
                        return call(client, "spend", Map.of("amount", 9));
                    }
                }));
            }
            assertTrue(ready.await(120, TimeUnit.SECONDS), "the callers never connected");
            go.countDown();
            int ran = 0;
            for (Future<String> answer : answers) {
                String text = answer.get(120, TimeUnit.SECONDS);
                if (text.equals("spend ran")) {
                    ran++;
                } else {
                    assertTrue(text.startsWith("[APPROVAL REQUIRED] "), text);
                }
            }
            callers.shutdown();
            assertEquals(1, ran, "one use: one call ran");
        }
        List<String> all = new ArrayList<>(runs());
        all.addAll(runs(dir.resolve("runlog-two")));
        assertEquals(List.of("spend 9"), all);
    }

    @Test
    void anOperatorWhoCannotWriteTheStoreIsToldSoAndNothingChanges() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path store = shared.resolve("approvals.json");
        String id;
        try (ForkedJvm server = start(store);
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            id = id(call(client, "spend", Map.of("amount", 4)));
        }
        String before = Files.readString(store);
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // root writes anything: the operator here is the unprivileged user nobody, with a copy of the jar it
            // can read, on a store that only root may write
            for (Path open : List.of(dir, shared)) {
                Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path jar = Files.copy(AgentJar.path(), dir.resolve("policylayer.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        } else {
            try (var files = Files.list(shared)) {
                for (Path file : files.toList()) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
                }
            }
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("r-xr-xr-x"));
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    AgentJar.path().toString()));
        }
        command.addAll(List.of("approvals", store.toString(), "approve", id));
        Process operator = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(operator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(operator.waitFor(120, TimeUnit.SECONDS));
        try {
            assertEquals(1, operator.exitValue(), said);
            assertTrue(said.contains("cannot write the approval store") && said.contains("run as a user who can"
                    + " write it") && !said.contains("Exception"), said);
            assertEquals(before, Files.readString(store), "nothing changed");
        } finally {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    // ---- hold

    @Test
    void aHeldCallRunsOnceTheOperatorApprovesAndIsKeptAliveMeanwhile() throws Exception {
        BlockingQueue<McpSchema.ProgressNotification> progress = new LinkedBlockingQueue<>();
        try (ForkedJvm server = start(dir.resolve("approvals.json"));
             McpSyncClient client = HttpClients.patient(url(server), progress::add)) {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            Future<String> held = caller.submit(() -> Sdk.text(client.callTool(new McpSchema.CallToolRequest(
                    "delete_account", Map.of("user", "u-17"), Map.of("progressToken", "hold-1")))));
            String[] id = new String[1];
            assertTrue(await(() -> {
                Matcher pending = Pattern.compile("([0-9a-f-]{36})  pending  tool \"delete_account\"")
                        .matcher(cli("list").out());
                id[0] = pending.find() ? pending.group(1) : null;
                return id[0] != null;
            }), "the held call asked for no approval");
            McpSchema.ProgressNotification alive = progress.poll(60, TimeUnit.SECONDS);
            assertTrue(alive != null && "hold-1".equals(String.valueOf(alive.progressToken()))
                    && alive.message().contains(id[0]), "a keep-alive while held: " + alive);
            assertFalse(held.isDone(), "the call is still waiting");
            assertEquals(List.of(), runs());
            assertEquals(0, cli("approve", id[0]).exit());
            assertEquals("delete_account ran", held.get(60, TimeUnit.SECONDS));
            caller.shutdown();
        }
        assertEquals(List.of("delete_account"), runs());
    }

    @Test
    void aHeldCallNobodyDecidesIsDeniedAtTheTimeout() throws Exception {
        try (ForkedJvm server = start(dir.resolve("approvals.json"));
             McpSyncClient client = HttpClients.patient(url(server), progress -> { })) {
            String denied = call(client, "drop_table", Map.of("name", "users"));
            assertTrue(denied.startsWith("[POLICY DENIED] ") && denied.contains("no operator decided within 2s")
                    && denied.contains("stays pending"), denied);
        }
        assertEquals(List.of(), runs());
    }

    // ---- where approvals live, and who is told

    @Test
    void approvalsLiveInTheSameRedisAsTheCounters() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ForkedJvm server = ForkedJvm.of(HttpFixtureServer.class.getName())
                     .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.counters=" + redis.url())
                     .option("-Dfixture.runlog=" + dir.resolve("runlog")).argument("streamable").start();
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            String id = id(call(client, "spend", Map.of("amount", 3)));
            Cli approved = cliOn(redis.url(), "approve", id);
            assertEquals(0, approved.exit(), approved.toString());
            assertEquals("spend ran", call(client, "spend", Map.of("amount", 3)));
            assertTrue(cliOn(redis.url(), "show", id).out().contains("used"));
        }
        assertEquals(List.of("spend 3"), runs());
    }

    @Test
    void anInJvmStoreIsDecidedOnTheMBeanAndRecordsTheJmxPrincipal() throws Exception {
        try (ForkedJvm server = ForkedJvm.of(HttpFixtureServer.class.getName())
                     .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dfixture.runlog=" + dir.resolve("runlog"))
                     .argument("streamable").start();
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            String id = id(call(client, "spend", Map.of("amount", 8)));
            String denyId = id(call(client, "spend", Map.of("amount", 80)));
            try (JMXConnector connector = HttpClients.jmx(server)) {
                MBeanServerConnection mbeans = connector.getMBeanServerConnection();
                ObjectName approvals = new ObjectName("dev.policylayer:type=Approvals");
                assertTrue(await(() -> {
                    try {
                        return mbeans.isRegistered(approvals);
                    } catch (IOException unreachable) {
                        return false;
                    }
                }), "the MBean was never registered");
                String listed = String.join("\n", (String[]) mbeans.getAttribute(approvals, "Approvals"));
                assertTrue(listed.contains(id + "  pending  tool \"spend\""), listed);
                String malformed = (String) mbeans.invoke(approvals, "approve", new Object[] {id, 1, "soon"},
                        new String[] {"java.lang.String", "int", "java.lang.String"});
                assertTrue(malformed.startsWith("error: validFor must be a duration"), malformed);
                String approved = (String) mbeans.invoke(approvals, "approve", new Object[] {id, 1, "1h"},
                        new String[] {"java.lang.String", "int", "java.lang.String"});
                assertTrue(approved.contains(id + "  approved") && approved.contains("by jmx"), approved);
                String denied = (String) mbeans.invoke(approvals, "deny", new Object[] {denyId, "too much"},
                        new String[] {"java.lang.String", "java.lang.String"});
                assertTrue(denied.contains("reason: too much"), denied);
            }
            assertEquals("spend ran", call(client, "spend", Map.of("amount", 8)));
            assertTrue(call(client, "spend", Map.of("amount", 80)).contains("too much"));
        }
        assertEquals(List.of("spend 8"), runs());
    }

    @Test
    void theWebhookHearsOfANewRequestWithoutItsArgumentValues() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            heard.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (ForkedJvm server = start(dir.resolve("approvals.json"), dir.resolve("runlog"),
                "-Dpolicylayer.approval.webhook=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
             McpSyncClient client = HttpClients.client(url(server), "streamable", null)) {
            String id = id(call(client, "spend", Map.of("amount", 31337.25)));
            String body = heard.poll(60, TimeUnit.SECONDS);
            assertTrue(body != null && body.contains("\"id\":\"" + id + "\"") && body.contains("\"tool\":\"spend\"")
                    && body.contains("\"argument_keys\":[\"amount\"]") && body.contains("approve " + id), body);
            assertFalse(body.contains("31337"), "no argument value leaves the process: " + body);
        } finally {
            receiver.stop(0);
        }
    }

    // ---- helpers

    private ForkedJvm start(Path approvals) throws Exception {
        return start(approvals, dir.resolve("runlog"));
    }

    private ForkedJvm start(Path approvals, Path runLog, String... options) throws Exception {
        ForkedJvm.Builder builder = ForkedJvm.of(HttpFixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.approvals=" + approvals)
                .option("-Dpolicylayer.audit=" + dir.resolve("audit.jsonl"))
                .option("-Dfixture.runlog=" + runLog).argument("streamable");
        for (String option : options) {
            builder.option(option);
        }
        return builder.start();
    }

    /** The tools that ran on the first server, in order. */
    private List<String> runs() throws IOException {
        return runs(dir.resolve("runlog"));
    }

    private static List<String> runs(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static McpSchema.ElicitResult accept(boolean approve) {
        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", approve));
    }

    private static String call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return HttpClients.call(client, tool, arguments);
    }

    private static String id(String text) {
        Matcher id = ID.matcher(text);
        assertTrue(id.find(), "no approval id in: " + text);
        return id.group(1);
    }

    /** What one {@code java -jar policylayer.jar approvals ...} process said, and its exit code. */
    record Cli(int exit, String out, String err) {
        String firstWord() {
            return out.isEmpty() ? "" : out.split("[: ]", 2)[0];
        }
    }

    private Cli cli(String... words) {
        return cliOn(dir.resolve("approvals.json").toString(), words);
    }

    private static Cli cliOn(String store, String... words) {
        ForkedJvm.Builder command = ForkedJvm.ofJar(AgentJar.path()).argument("approvals").argument(store);
        for (String word : words) {
            command.argument(word);
        }
        try (ForkedJvm cli = command.start()) {
            int exit = cli.waitForAllOutput(120);
            return new Cli(exit, String.join("\n", cli.stdoutLines()), String.join("\n", cli.stderrLines()));
        } catch (IOException | InterruptedException failed) {
            throw new AssertionError("the approvals command could not be run", failed);
        }
    }

    private static boolean awaitLine(ForkedJvm server, String text) {
        return await(() -> server.stderrLines().stream().anyMatch(line -> line.contains(text)));
    }

    /** Polls {@code condition} until it holds or a generous deadline passes. */
    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
