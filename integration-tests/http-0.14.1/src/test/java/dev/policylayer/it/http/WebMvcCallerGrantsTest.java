package dev.policylayer.it.http;

import static dev.policylayer.it.http.HttpClients.bearer;
import static dev.policylayer.it.http.HttpClients.call;
import static dev.policylayer.it.http.HttpClients.client;
import static dev.policylayer.it.http.HttpClients.listed;
import static dev.policylayer.it.http.HttpClients.sha256;
import static dev.policylayer.it.http.HttpClients.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.harness.ForkedJvm;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SDK's Spring WebMVC transports behind {@code DispatcherServlet}: the caller's bearer token decides its grant
 * there too. The streamable one runs the tool-call handler after its handler method has returned, from Spring's
 * response writer, still inside the servlet's {@code service}.
 */
class WebMvcCallerGrantsTest {
    private static final String TOKEN = "webmvc-3c9a7e5b1d0f2468";
    private static final String POLICY = """
            {"version": "1", "default": "allow",
             "tools": {"limited": {"limits": [{"counter": "limited", "window": "1h", "max": 2}]}}}""";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "stateless"})
    void theBearerTokenIsTheGrantOnEveryWebMvcTransport(String transport) throws Exception {
        Path grants = dir.resolve("grants.json");
        Files.writeString(grants, """
                {"version": "1", "grants": {"ci-runner": {"tokens_sha256": ["%s"]}}}""".formatted(sha256(TOKEN)));
        Path runLog = dir.resolve("runlog");
        try (ForkedJvm server = ForkedJvm.of(WebMvcFixtureServer.class.getName())
                .withAgent(ForkedJvm.policyFile(POLICY)).option("-Dpolicylayer.identity=bearer")
                .option("-Dpolicylayer.grants=" + grants).option("-Dfixture.runlog=" + runLog)
                .argument(transport).start()) {
            String url = url(server);
            try (McpSyncClient ci = client(url, transport, bearer(TOKEN))) {
                assertEquals(HttpFixtureServer.TOOLS, listed(ci));
                assertEquals("limited ran", call(ci, "limited"));
                assertEquals("limited ran", call(ci, "limited"));
                assertTrue(call(ci, "limited").startsWith("[POLICY DENIED] "), "ci-runner's two are spent");
            }
            try (McpSyncClient stranger = client(url, transport, bearer("not-" + TOKEN))) {
                assertEquals(List.of(), listed(stranger));
                String denied = call(stranger, "echo", Map.of("text", "hi"));
                assertTrue(denied.startsWith("[POLICY DENIED] tool \"echo\" denied by (no grant): "), denied);
            }
            assertEquals(List.of("limited", "limited"), Files.readAllLines(runLog));
        }
    }
}
