package dev.policylayer.benchmarks.sdk;

import io.modelcontextprotocol.server.McpSyncServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A real MCP SDK stdio server inside this JVM, wired to piped streams, driven with raw JSON-RPC lines: a
 * {@code tools/call} round trip through the SDK's own transport, session and handler, as a client sees it.
 */
final class InJvmStdioServer implements AutoCloseable {
    private final OutputStream toServer;
    private final BufferedReader fromServer;
    private final McpSyncServer server;
    private long nextId = 1;

    InJvmStdioServer() throws IOException {
        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        toServer = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        fromServer = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8));
        server = EchoServer.start(serverIn, serverOut);
        request("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    /** One tools/call round trip; returns the response line. */
    String callEcho() throws IOException {
        return request("tools/call", "{\"name\":\"echo\",\"arguments\":{\"text\":\"hello\"}}");
    }

    private String request(String method, String params) throws IOException {
        long id = nextId++;
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        String line = fromServer.readLine();
        if (line == null || !line.contains("\"id\":" + id)) {
            throw new IOException("unexpected response to " + method + ": " + line);
        }
        return line;
    }

    private void send(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        toServer.close();
    }
}
