package dev.policylayer.it.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.it.fixture.Sdk;
import dev.policylayer.it.harness.ForkedJvm;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** Real SDK clients of a fixture server over HTTP, each with the credentials its requests carry. */
final class HttpClients {

    private HttpClients() {
    }

    /** The server's base URL, from the {@code PORT <n>} line it prints once it listens. */
    static String url(ForkedJvm server) throws Exception {
        String portLine = server.nextLine(60);
        assertTrue(portLine.startsWith("PORT "), portLine + "\n" + server.describe());
        return "http://127.0.0.1:" + portLine.substring("PORT ".length());
    }

    /** Credentials: {@code Authorization: Bearer <token>}. */
    static HttpRequest.Builder bearer(String token) {
        return HttpRequest.newBuilder().header("Authorization", "Bearer " + token);
    }

    /** Credentials: HTTP Basic. */
    static HttpRequest.Builder basic(String user, String password) {
        return HttpRequest.newBuilder().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A connected client over {@code transport} (an SSE client for {@code sse}, else streamable HTTP); every one of
     * its HTTP requests starts from {@code request} (its credentials), or carries none when it is null.
     */
    static McpSyncClient client(String url, String transport, HttpRequest.Builder request) {
        McpJsonMapper mapper = (McpJsonMapper) Sdk.jsonMapper();
        HttpRequest.Builder builder = request == null ? HttpRequest.newBuilder() : request;
        McpClientTransport clientTransport = transport.equals("sse")
                ? HttpClientSseClientTransport.builder(url).jsonMapper(mapper).sseEndpoint("/sse")
                .requestBuilder(builder).build()
                : HttpClientStreamableHttpTransport.builder(url).jsonMapper(mapper).endpoint("/mcp")
                .requestBuilder(builder).build();
        McpSyncClient client = McpClient.sync(clientTransport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    /**
     * A client over streamable HTTP that declares the elicitation capability: {@code answer} is what its user says
     * to each question's text; progress notifications go to {@code progress}.
     */
    static McpSyncClient asking(String url, Function<String, McpSchema.ElicitResult> answer,
                                Consumer<McpSchema.ProgressNotification> progress) {
        McpJsonMapper mapper = (McpJsonMapper) Sdk.jsonMapper();
        McpClientTransport clientTransport = HttpClientStreamableHttpTransport.builder(url).jsonMapper(mapper)
                .endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(clientTransport).requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(60))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> answer.apply(request.message()))
                .progressConsumer(progress).build();
        client.initialize();
        return client;
    }

    /** A plain client over streamable HTTP whose calls may wait long (a call held for approval). */
    static McpSyncClient patient(String url, Consumer<McpSchema.ProgressNotification> progress) {
        McpJsonMapper mapper = (McpJsonMapper) Sdk.jsonMapper();
        McpClientTransport clientTransport = HttpClientStreamableHttpTransport.builder(url).jsonMapper(mapper)
                .endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(clientTransport).requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(60)).progressConsumer(progress).build();
        client.initialize();
        return client;
    }

    /** A JMX connection to {@code server}'s platform MBean server, through the JDK's attach mechanism. */
    static javax.management.remote.JMXConnector jmx(ForkedJvm server) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(
                server.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return javax.management.remote.JMXConnectorFactory.connect(new javax.management.remote.JMXServiceURL(
                address));
    }

    static List<String> listed(McpSyncClient client) {
        List<String> names = new ArrayList<>();
        client.listTools().tools().forEach(tool -> names.add(tool.name()));
        return names;
    }

    /** The text of the tool's result (a denial's too). */
    static String call(McpSyncClient client, String tool) {
        return call(client, tool, Map.of());
    }

    static String call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return Sdk.text(client.callTool(new McpSchema.CallToolRequest(tool, arguments)));
    }

    /** What a grants file stores for a token. */
    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
