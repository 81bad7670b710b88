package dev.policylayer.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.policylayer.it.http.HttpClients.basic;
import static dev.policylayer.it.http.HttpClients.bearer;
import static dev.policylayer.it.http.HttpClients.call;
import static dev.policylayer.it.http.HttpClients.client;
import static dev.policylayer.it.http.HttpClients.listed;
import static dev.policylayer.it.http.HttpClients.sha256;
import static dev.policylayer.it.http.HttpClients.url;

import dev.policylayer.it.harness.ForkedJvm;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One server, many agents: a server in its own JVM with the agent, called by real SDK clients over HTTP, each
 * presenting its own identity. What the tools really ran (the fixture's run log) is the evidence.
 */
class CallerGrantsTest {
    private static final String CI_TOKEN = "ci-7d3f9a2e41b8c6d0";
    private static final String READER_TOKEN = "reader-5e8b1c9f03a7d2e6";
    private static final String STRANGER_TOKEN = "stranger-0a1b2c3d4e5f6789";
    /** The main policy: everything allowed, {@code limited} three times an hour per grant. */
    private static final String MAIN = """
            {"version": "1", "default": "allow",
             "tools": {"limited": {"limits": [{"counter": "limited", "window": "1h", "max": 3, "scope": "grant"}]}}}""";
    /** A read-only agent's own policy: echo, and limited twice an hour; nothing else, and nothing else listed. */
    private static final String READ_ONLY = """
            {"version": "1", "default": "deny", "hide": ["delete_account", "drop_table", "spend", "flaky"],
             "tools": {"echo": {},
                       "limited": {"limits": [{"counter": "limited", "window": "1h", "max": 2, "scope": "grant"}]}}}""";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "stateless", "sse"})
    void twoTokensGetTheirOwnPolicyLimitAndToolListAndEveryoneElseNone(String transport) throws Exception {
        Path grants = write("grants.json", """
                {"version": "1",
                 "grants": {"ci-runner": {"tokens_sha256": ["%s"]},
                            "reader": {"tokens_sha256": ["%s"], "policy": "read-only.json"}},
                 "unknown": "deny"}""".formatted(sha256(CI_TOKEN), sha256(READER_TOKEN)));
        write("read-only.json", READ_ONLY);
        Path audit = dir.resolve("audit.jsonl");
        try (ForkedJvm server = server(transport, "bearer", grants, "-Dpolicylayer.audit=" + audit)) {
            String url = url(server);
            try (McpSyncClient ci = client(url, transport, bearer(CI_TOKEN))) {
                assertEquals(HttpFixtureServer.TOOLS, listed(ci), "the main policy hides nothing");
                for (int i = 0; i < 3; i++) {
                    assertEquals("limited ran", call(ci, "limited"));
                }
                assertTrue(call(ci, "limited").startsWith("[POLICY DENIED] "), "ci-runner's three are spent");
            }
            try (McpSyncClient again = client(url, transport, bearer(CI_TOKEN))) {
                assertTrue(call(again, "limited").startsWith("[POLICY DENIED] "),
                        "a new session is the same grant: the limit is not given back");
            }
            try (McpSyncClient reader = client(url, transport, bearer(READER_TOKEN))) {
                assertEquals(List.of("echo", "limited"), listed(reader), "the reader's own hide list");
                assertEquals("echo: hi", call(reader, "echo", Map.of("text", "hi")));
                assertEquals("limited ran", call(reader, "limited"), "its own counter, not ci-runner's");
                assertEquals("limited ran", call(reader, "limited"));
                assertTrue(call(reader, "limited").startsWith("[POLICY DENIED] "), "its own limit of two");
                assertTrue(call(reader, "delete_account").startsWith("[POLICY DENIED] "));
            }
            try (McpSyncClient stranger = client(url, transport, bearer(STRANGER_TOKEN))) {
                assertEquals(List.of(), listed(stranger), "a caller without a grant is shown nothing");
                String denied = call(stranger, "echo", Map.of("text", "hi"));
                assertTrue(denied.startsWith("[POLICY DENIED] tool \"echo\" denied by (no grant): no grant in "
                        + grants + " has the request's bearer token"), denied);
            }
            try (McpSyncClient anonymous = client(url, transport, null)) {
                String denied = call(anonymous, "echo", Map.of("text", "hi"));
                assertTrue(denied.startsWith("[POLICY DENIED] tool \"echo\" denied by (no grant): the request has no"
                        + " Authorization header"), denied);
            }
            assertEquals(List.of("limited", "limited", "limited", "echo", "limited", "limited"), ran(),
                    "what ran: three for ci-runner, echo and two for the reader, nothing for anyone else");
            List<String> lines = awaitAudit(audit, 12);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"grant\":\"ci-runner\"")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"grant\":\"reader\"")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"(no grant)\"")), lines.toString());
            assertNoToken(String.join("\n", lines), "the audit");
            assertNoToken(server.describe(), "the log");
        }
    }

    @Test
    void theGrantFollowsThePrincipalTheApplicationAuthenticated() throws Exception {
        Path grants = write("grants.json", """
                {"version": "1", "grants": {"alice": {"principals": ["alice"]}, "bob": {"principals": ["bob"]}}}""");
        try (ForkedJvm server = server("streamable", "principal", grants, "-Dfixture.basic-auth=true")) {
            String url = url(server);
            try (McpSyncClient alice = client(url, "streamable", basic("alice", "alice-password"));
                 McpSyncClient bob = client(url, "streamable", basic("bob", "bob-password"))) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("limited ran", call(alice, "limited"));
                }
                assertTrue(call(alice, "limited").startsWith("[POLICY DENIED] "));
                assertEquals("limited ran", call(bob, "limited"), "bob counts for himself");
            }
            try (McpSyncClient anonymous = client(url, "streamable", null)) {
                String denied = call(anonymous, "limited");
                assertTrue(denied.contains("denied by (no grant): the request has no authenticated principal"),
                        denied);
            }
            assertEquals(List.of("limited", "limited", "limited", "limited"), ran());
        }
    }

    @Test
    void reloadingTheGrantsMovesATokenWithoutARestartAndKeepsEveryCounter() throws Exception {
        String teams = """
                {"version": "1", "grants": {"team-a": {"tokens_sha256": [%s]}, "team-b": {"tokens_sha256": [%s]}}}""";
        Path grants = write("grants.json", teams.formatted(quoted(CI_TOKEN), quoted(READER_TOKEN)));
        Path audit = dir.resolve("audit.jsonl");
        try (ForkedJvm server = server("streamable", "bearer", grants, "-Dpolicylayer.audit=" + audit);
             McpSyncClient moved = client(url(server), "streamable", bearer(CI_TOKEN))) {
            for (int i = 0; i < 3; i++) {
                assertEquals("limited ran", call(moved, "limited"));
            }
            assertTrue(call(moved, "limited").startsWith("[POLICY DENIED] "), "team-a's three are spent");

            // The token moves to team-b, which has spent nothing: the same client, no reconnect.
            write("grants.json", teams.formatted("", quoted(READER_TOKEN) + ", " + quoted(CI_TOKEN)));
            awaitGrant(server, moved, audit, "team-b");
            assertEquals("limited ran", call(moved, "limited"));
            assertEquals("limited ran", call(moved, "limited"));
            assertEquals("limited ran", call(moved, "limited"));
            assertTrue(call(moved, "limited").startsWith("[POLICY DENIED] "), "now team-b's three are spent");

            // An edit that does not validate is reported, and loosens nothing.
            write("grants.json", "{\"version\": \"1\", \"grants\": {\"team-a\": {\"tokens_sha256\": [\"x\"]}}}");
            awaitStderr(server, "the edited grants file is not valid, so the grants in force are kept");
            assertTrue(call(moved, "limited").startsWith("[POLICY DENIED] "));

            // Back to team-a, whose counter the reloads kept: still spent.
            write("grants.json", teams.formatted(quoted(CI_TOKEN), quoted(READER_TOKEN)));
            awaitGrant(server, moved, audit, "team-a");
            assertTrue(call(moved, "limited").startsWith("[POLICY DENIED] "), "team-a's counter was kept");
            assertEquals(6, ran().stream().filter("limited"::equals).count());
        }
    }

    @Test
    void aGrantsFileThatCannotBeLoadedAtStartUpDeniesEveryCallSayingWhy() throws Exception {
        Path grants = write("grants.json", """
                {"version": "1", "grants": {"ci": {"tokens_sha256": ["%s"]}}}""".formatted(CI_TOKEN));
        try (ForkedJvm server = server("streamable", "bearer", grants);
             McpSyncClient ci = client(url(server), "streamable", bearer(CI_TOKEN))) {
            String denied = call(ci, "echo", Map.of("text", "hi"));
            assertTrue(denied.startsWith("[POLICY DENIED] tool \"echo\" denied by (no grant): the grants file "
                    + grants + " could not be loaded ("), denied);
            awaitStderr(server, "at /grants/ci/tokens_sha256/0: expected the SHA-256 of a token as 64 hex digits");
            assertEquals(List.of(), ran());
            assertNoToken(server.describe(), "the log");
            assertNoToken(denied, "the denial");
        }
    }

    @Test
    void theTokenIsInNoLogAuditLineMBeanAttributeOrFlightRecordingWhichNameTheGrant() throws Exception {
        Path grants = write("grants.json", """
                {"version": "1", "grants": {"ci-runner": {"tokens_sha256": ["%s"]}}}""".formatted(sha256(CI_TOKEN)));
        Path audit = dir.resolve("audit.jsonl");
        Path recording = dir.resolve("decisions.jfr");
        Path settings = write("decisions.jfc", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration version="
                + "\"2.0\">\n  <event name=\"dev.policylayer.Decision\"><setting name=\"enabled\">true</setting>"
                + "</event>\n</configuration>\n");
        ForkedJvm server = server("streamable", "bearer", grants, "-Dpolicylayer.audit=" + audit,
                "-Xlog:jfr+startup=off", "-XX:StartFlightRecording=filename=" + recording + ",settings=" + settings);
        try (server) {
            String url = url(server);
            try (McpSyncClient ci = client(url, "streamable", bearer(CI_TOKEN));
                 McpSyncClient stranger = client(url, "streamable", bearer(STRANGER_TOKEN))) {
                assertEquals("echo: hi", call(ci, "echo", Map.of("text", "hi")));
                assertTrue(call(stranger, "echo", Map.of("text", "hi")).startsWith("[POLICY DENIED] "));
            }
            String mbean = mbeanAttributes(server);
            assertTrue(mbean.contains("CallsByGrant={(no grant)=1, ci-runner=1}"), mbean);
            assertTrue(mbean.contains("Identity=bearer") && mbean.contains("GrantsSource=" + grants), mbean);
            assertNoToken(mbean, "the MBean");
            List<String> lines = awaitAudit(audit, 2);
            assertTrue(lines.get(0).contains("\"grant\":\"ci-runner\""), lines.get(0));
            assertNoToken(String.join("\n", lines), "the audit");
        }
        assertNoToken(server.describe(), "the log");
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("dev.policylayer.Decision")).toList();
        assertEquals(List.of("echo:ci-runner:allow", "echo:null:deny"), events.stream().map(e -> e.getString("tool")
                + ":" + e.getString("grant") + ":" + e.getString("verdict")).sorted().toList(),
                "a recording's events come per thread, not in order");
        assertNoToken(events.toString(), "the flight recording");
    }

    private ForkedJvm server(String transport, String identity, Path grants, String... options) throws Exception {
        ForkedJvm.Builder builder = ForkedJvm.of(HttpFixtureServer.class.getName())
                .withAgent(write("main.json", MAIN))
                .option("-Dpolicylayer.identity=" + identity).option("-Dpolicylayer.grants=" + grants)
                .option("-Dfixture.runlog=" + dir.resolve("runlog")).argument(transport);
        for (String option : options) {
            builder.option(option);
        }
        return builder.start();
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Path temporary = dir.resolve(name + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE); // as an editor saves: the agent never sees half
        return file;
    }

    /** The tools that really ran, in order. */
    private List<String> ran() throws Exception {
        Path log = dir.resolve("runlog");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Calls echo until the audit says the call counted for {@code grant} (the reload is in force). */
    private void awaitGrant(ForkedJvm server, McpSyncClient client, Path audit, String grant) throws Exception {
        for (long deadline = System.nanoTime() + 60_000_000_000L; ; ) {
            call(client, "echo", Map.of("text", "which grant"));
            List<String> lines = Files.readAllLines(audit);
            if (!lines.isEmpty() && lines.get(lines.size() - 1).contains("\"grant\":\"" + grant + "\"")) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the grants reload never came into force; the last audit line: "
                    + (lines.isEmpty() ? "none" : lines.get(lines.size() - 1)) + "\n" + server.describe());
            Thread.sleep(50);
        }
    }

    private static void awaitStderr(ForkedJvm server, String text) throws Exception {
        for (long deadline = System.nanoTime() + 60_000_000_000L; ; ) {
            if (server.stderrLines().stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "never logged \"" + text + "\": " + server.describe());
            Thread.sleep(50);
        }
    }

    /** The audit's lines once there are at least {@code count} (it is written in the background). */
    private static List<String> awaitAudit(Path audit, int count) throws Exception {
        for (long deadline = System.nanoTime() + 60_000_000_000L; ; ) {
            List<String> lines = Files.exists(audit) ? Files.readAllLines(audit) : List.of();
            if (lines.size() >= count) {
                return lines;
            }
            assertTrue(System.nanoTime() < deadline, "the audit has " + lines.size() + " lines: " + lines);
            Thread.sleep(50);
        }
    }

    private static void assertNoToken(String text, String where) {
        for (String token : List.of(CI_TOKEN, READER_TOKEN, STRANGER_TOKEN)) {
            assertFalse(text.contains(token), "a token in " + where + ": " + text);
            assertFalse(text.contains(sha256(token)), "a token's hash in " + where + ": " + text);
        }
    }

    /** Every attribute of the agent's MBean, as {@code Name=value} lines. */
    private static String mbeanAttributes(ForkedJvm server) throws Exception {
        try (JMXConnector connector = HttpClients.jmx(server)) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            ObjectName agent = new ObjectName("dev.policylayer:type=Agent");
            for (long deadline = System.nanoTime() + 60_000_000_000L; !mbeans.isRegistered(agent); ) {
                assertTrue(System.nanoTime() < deadline, "the MBean was never registered");
                Thread.sleep(100);
            }
            StringBuilder all = new StringBuilder();
            for (MBeanAttributeInfo attribute : mbeans.getMBeanInfo(agent).getAttributes()) {
                all.append(attribute.getName()).append('=').append(plain(mbeans.getAttribute(agent,
                        attribute.getName()))).append('\n');
            }
            return all.toString();
        }
    }

    /** An open-type value as plain text: a map's entries sorted by key, an array's elements. */
    private static String plain(Object value) {
        if (value instanceof TabularData table) {
            java.util.TreeMap<String, Object> map = new java.util.TreeMap<>();
            for (Object row : table.values()) {
                CompositeData entry = (CompositeData) row;
                map.put(String.valueOf(entry.get("key")), entry.get("value"));
            }
            return map.toString();
        }
        if (value instanceof Object[] array) {
            return java.util.Arrays.toString(array);
        }
        return String.valueOf(value);
    }

    private static String quoted(String token) {
        return "\"" + sha256(token) + "\"";
    }
}
