package dev.policylayer.it;

import static dev.policylayer.it.HostileInputTest.JACKSON_MAX_DEPTH;
import static dev.policylayer.it.HostileInputTest.nested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile lines the SDK's own JSON reader refuses, so that the agent never sees them: arguments nested 10 000
 * levels deep (Jackson 3 stops at {@value HostileInputTest#JACKSON_MAX_DEPTH}) and the bare tokens {@code NaN},
 * {@code Infinity}, {@code -Infinity} (not JSON), and a line longer than the 16 MiB the transport reads. No tool
 * runs, and the client gets no answer. SDK 2.1.0's stdio server then stops reading its input altogether (it logs
 * an error and its reading loop ends): every later request goes unanswered. That is the SDK's doing, not the
 * agent's; the same line ends a server without the agent the same way
 * ({@link #withoutTheAgentTheSdkEndsTheSessionTheSameWay}).
 */
class HostileUnparsableTest {
    private static final String POLICY = """
            {"version": "1", "default": "deny",
             "tools": {"echo": {},
                       "create_refund": {"deny_if": [{"path": "args.amount", "op": "gt", "value": 1000}]},
                       "delete_account": {"deny_if": [{"path": "args.tree.a.a.a", "op": "exists", "value": true}]}}}
            """;
    private static final String DEEP_OBJECTS = "{\"tree\":" + nested("{\"a\":", "1", "}", 10_000) + "}";
    private static final String DEEP_ARRAYS = "{\"tree\":" + nested("[", "1", "]", 10_000) + "}";

    @ParameterizedTest
    @ValueSource(strings = {"objects", "arrays"})
    void tenThousandLevelsDeepAreRefusedByTheSdkAndNoToolRuns(String shape) throws Exception {
        try (HostileServer server = HostileServer.start(POLICY)) {
            assertUnanswered(server, "delete_account", shape.equals("objects") ? DEEP_OBJECTS : DEEP_ARRAYS,
                    "Document nesting depth (" + (JACKSON_MAX_DEPTH + 1) + ") exceeds the maximum allowed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity"})
    void bareNonNumbersAreRefusedByTheSdkAndNoToolRuns(String token) throws Exception {
        try (HostileServer server = HostileServer.start(POLICY)) {
            assertUnanswered(server, "create_refund", "{\"amount\":" + token + "}", "Non-standard token");
        }
    }

    @Test
    void aLineLongerThanTheSdkReadsIsRefusedAndNoToolRuns() throws Exception {
        // Just over the stdio transport's default 16 MiB line limit (HostileInputTest raises it to send 50 MB). Only
        // just: the SDK stops reading at the limit, and the rest of a longer line would fill the pipe and block
        // this test's write for good.
        try (HostileServer server = HostileServer.start(POLICY)) {
            assertUnanswered(server, "echo", "{\"text\":\"" + "x".repeat(16 * 1024 * 1024) + "\"}",
                    "Inbound message exceeds the maximum allowed size");
        }
    }

    @Test
    void withoutTheAgentTheSdkEndsTheSessionTheSameWay() throws Exception {
        try (HostileServer server = HostileServer.startWithoutAgent()) {
            assertUnanswered(server, "delete_account", DEEP_OBJECTS, "Document nesting depth");
        }
    }

    /**
     * The hostile call gets no answer, nor does a normal call after it, and the SDK says why on stderr. The test
     * waits for the SDK's own error line (polled, with a generous deadline), then shows that a normal call is not
     * answered: absence can only be shown by waiting, and 2 s is far beyond any normal answer.
     */
    private static void assertUnanswered(HostileServer server, String tool, String arguments, String sdkSays)
            throws Exception {
        server.stdio().jvm().send("{\"jsonrpc\":\"2.0\",\"id\":9001,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
        for (long deadline = System.nanoTime() + 120_000_000_000L; server.stdio().jvm().stderrLines().stream()
                .noneMatch(l -> l.contains(sdkSays)); Thread.sleep(50)) {
            assertTrue(System.nanoTime() < deadline, "the SDK never said \"" + sdkSays + "\":\n"
                    + String.join("\n", server.stdio().jvm().stderrLines()));
        }
        assertNull(server.stdio().rawRequestLine("{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"after\"}}}", 2_000),
                "the SDK answered after a line it could not read: update this test and the README");
        assertTrue(server.stdio().jvm().stdoutLines().stream().noneMatch(l -> l.contains("\"id\":9001")),
                "the line the SDK could not read was answered: update this test and the README");
        assertEquals(List.of(), server.ranSinceLastAsked());
        List<String> stderr = server.stdio().jvm().stderrLines();
        assertTrue(stderr.stream().anyMatch(l -> l.contains("ERROR io.modelcontextprotocol.spec.McpTransport")),
                String.join("\n", stderr));
    }
}
