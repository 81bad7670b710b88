package dev.policylayer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.policylayer.it.fixture.FixtureServer;
import dev.policylayer.it.harness.ForkedJvm;
import dev.policylayer.it.harness.Json;
import dev.policylayer.it.harness.StdioServer;
import dev.policylayer.it.harness.StdioServer.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator relies on in a running server: reloads, the audit log, JMX and flight recordings. */
class OperationsTest {
    private static final String LIMITED = "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{"
            + "\"drop_table\":{\"action\":\"deny\"},"
            + "\"limited\":{\"limits\":[{\"counter\":\"limited\",\"max\":2,\"window\":\"1h\"}]}}}";

    /** The JVM announces a recording on stdout, which a stdio MCP server uses for JSON-RPC: keep it quiet. */
    private static final String QUIET_JFR = "-Xlog:jfr+startup=off";

    @TempDir
    Path dir;

    @Test
    void anInvalidEditKeepsThePolicyInForceAndCountersSurviveAValidOne() throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, LIMITED);
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(policy).start())) {
            assertFalse(server.call("limited", "{}").isError());
            assertFalse(server.call("limited", "{}").isError());

            Files.writeString(policy, LIMITED.replace("\"action\"", "\"acton\""));
            ToolResult stillDenied = server.call("drop_table", "{}");
            assertTrue(stillDenied.denied(), "a broken edit must not loosen anything: " + stillDenied);
            // Reported once the broken text has stood a moment (an in-place save passes through broken text).
            awaitStderr(server, "policy in force is kept");
            awaitStderr(server, "did you mean \"action\"?");

            // A valid edit that allows drop_table and raises nothing: the two calls already made still count.
            Files.writeString(policy, LIMITED.replace("\"drop_table\":{\"action\":\"deny\"},", ""));
            assertEquals(new ToolResult(false, "drop_table ran"), server.call("drop_table", "{}"));
            ToolResult third = server.call("limited", "{}");
            assertTrue(third.denied() && third.text().contains("2 calls per 1h"), third.toString());
        }
    }

    @Test
    void everyDecisionIsAuditedWithArgumentKeysButNeverValues() throws Exception {
        Path audit = dir.resolve("audit/decisions.jsonl");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(LIMITED)).option("-Dpolicylayer.audit=" + audit)
                .option("-Dpolicylayer.grant=team-a").start())) {
            server.call("echo", "{\"text\":\"secret value 42\",\"b\":1,\"a\":2}");
            server.call("drop_table", "{\"name\":\"users\"}");
            List<Map<String, Object>> lines = awaitLines(audit, 2);
            String raw = Files.readString(audit);
            assertFalse(raw.contains("secret value 42") || raw.contains("users"), raw);

            Map<String, Object> allowed = lines.get(0);
            assertEquals("echo", allowed.get("tool"));
            assertEquals("allow", allowed.get("verdict"));
            assertEquals("server", allowed.get("side"));
            assertEquals("team-a", allowed.get("grant"));
            assertEquals(List.of("a", "b", "text"), allowed.get("argument_keys"));
            assertEquals(64, ((String) allowed.get("policy_hash")).length());
            assertTrue(((Number) allowed.get("latency_ns")).longValue() > 0);
            assertTrue(allowed.get("session") instanceof String);

            Map<String, Object> denied = lines.get(1);
            assertEquals("deny", denied.get("verdict"));
            assertEquals("/tools/drop_table/action", denied.get("rule"));
            assertEquals("action", denied.get("reason"));
            assertTrue(denied.get("message").toString().contains("drop_table"), denied.toString());
        }
    }

    @Test
    void aCallWithLoneSurrogatesInItsNamesYieldsValidLinesAndEveryLaterDecisionIsAudited() throws Exception {
        Path audit = dir.resolve("decisions.jsonl");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(LIMITED)).option("-Dpolicylayer.audit=" + audit).start())) {
            // Valid JSON, and what no UTF-8 encoder can write as it is: lone surrogates in the name and a key.
            assertTrue(StdioServer.ToolResult.of(server.rawCall("{\"name\":\"drop\\ud800\",\"arguments\":"
                    + "{\"k\\udc00\":1}}")).isError());
            assertEquals(new ToolResult(false, "echo: after"), server.call("echo", "{\"text\":\"after\"}"));
            assertTrue(server.call("drop_table", "{}").denied());
            List<Map<String, Object>> lines = awaitLines(audit, 3);
            assertEquals("drop\\ud800", lines.get(0).get("tool"), "written escaped, readable");
            assertEquals(List.of("k\\udc00"), lines.get(0).get("argument_keys"));
            assertEquals("echo", lines.get(1).get("tool"));
            assertEquals("drop_table", lines.get(2).get("tool"));
        }
    }

    @Test
    void theMBeanCountsDecisionsByReasonAndTool() throws Exception {
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(LIMITED)).start())) {
            server.call("echo", "{\"text\":\"hi\"}");
            server.call("drop_table", "{}");
            server.call("drop_table", "{}");
            VirtualMachine vm = VirtualMachine.attach(Long.toString(server.jvm().pid()));
            String address = vm.startLocalManagementAgent();
            vm.detach();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection mbeans = connector.getMBeanServerConnection();
                ObjectName agent = new ObjectName("dev.policylayer:type=Agent");
                // Registered a few seconds after start-up, off the application's start-up path.
                for (long deadline = System.nanoTime() + 60_000_000_000L; !mbeans.isRegistered(agent)
                        && System.nanoTime() < deadline; ) {
                    Thread.sleep(100);
                }
                assertEquals(3L, mbeans.getAttribute(agent, "CallsSeen"));
                assertEquals(1L, mbeans.getAttribute(agent, "Allowed"));
                assertEquals(2L, mbeans.getAttribute(agent, "Denied"));
                assertEquals(Map.of("action", 2L), map(mbeans.getAttribute(agent, "DeniedByReason")));
                assertEquals(Map.of("echo", 1L, "drop_table", 2L), map(mbeans.getAttribute(agent, "CallsByTool")));
                assertEquals(64, mbeans.getAttribute(agent, "PolicyHash").toString().length());
                String[] chokePoints = (String[]) mbeans.getAttribute(agent, "ChokePoints");
                assertTrue(List.of(chokePoints).stream().anyMatch(c -> c.startsWith("mcp-sdk-server io.modelcontextprotocol")),
                        List.of(chokePoints).toString());
            }
        }
    }

    @Test
    void aFlightRecordingWithTheEventEnabledShowsEachDecision() throws Exception {
        Path settings = dir.resolve("decisions.jfc");
        Files.writeString(settings, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration version=\"2.0\">\n"
                + "  <event name=\"dev.policylayer.Decision\"><setting name=\"enabled\">true</setting></event>\n"
                + "</configuration>\n");
        Path recording = dir.resolve("recording.jfr");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(LIMITED))
                .option(QUIET_JFR).option("-XX:StartFlightRecording=filename=" + recording + ",settings=" + settings)
                .start())) {
            server.call("echo", "{\"text\":\"hi\"}");
            server.call("drop_table", "{}");
        } // the recording is written as the JVM exits
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("dev.policylayer.Decision")).toList();
        assertEquals(List.of("echo:allow", "drop_table:deny"), events.stream()
                .map(e -> e.getString("tool") + ":" + e.getString("verdict")).toList());
        assertEquals("/tools/drop_table/action", events.get(1).getString("rule"));
    }

    @Test
    void withoutARecordingSettingTheEventIsOff() throws Exception {
        Path recording = dir.resolve("default.jfr");
        try (StdioServer server = new StdioServer(ForkedJvm.of(FixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(LIMITED))
                .option(QUIET_JFR).option("-XX:StartFlightRecording=filename=" + recording).start())) {
            server.call("drop_table", "{}");
        }
        assertTrue(RecordingFile.readAllEvents(recording).stream()
                .noneMatch(e -> e.getEventType().getName().equals("dev.policylayer.Decision")));
    }

    /** Waits (polled, with a generous deadline) until the server's stderr has a line containing {@code text}. */
    static void awaitStderr(StdioServer server, String text) throws InterruptedException {
        for (long deadline = System.nanoTime() + 60_000_000_000L; server.jvm().stderrLines().stream()
                .noneMatch(l -> l.contains(text)); Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline, "stderr never said \"" + text + "\": " + server.jvm().describe());
        }
    }

    private static Map<String, Long> map(Object tabular) {
        return ((TabularData) tabular).values().stream().map(CompositeData.class::cast)
                .collect(Collectors.toMap(row -> (String) row.get("key"), row -> (Long) row.get("value")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> awaitLines(Path audit, int count) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            List<String> lines = Files.exists(audit) ? Files.readAllLines(audit) : List.of();
            if (lines.size() >= count) {
                return lines.stream().map(l -> (Map<String, Object>) Json.parse(l)).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("audit has " + lines.size() + " lines, expected " + count + ": " + lines);
            }
            Thread.sleep(50);
        }
    }
}
