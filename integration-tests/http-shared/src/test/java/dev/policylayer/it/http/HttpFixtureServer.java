package dev.policylayer.it.http;

import dev.policylayer.it.fixture.Sdk;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An MCP server over HTTP in embedded Tomcat, on one of the SDK's servlet transports (streamable, sse,
 * stateless), bound to 127.0.0.1 on a free port that it prints as {@code PORT <n>}. Tools: {@code echo},
 * {@code delete_account}, {@code drop_table}, {@code limited}, {@code spend} (its {@code amount}) and {@code flaky}
 * ({@code throw} or {@code fail}). It knows nothing of the policy agent. Every tool that really runs appends a line
 * to the file {@code fixture.runlog} names (its name, and for {@code spend} the amount it was given). With
 * {@code -Dfixture.basic-auth=true} the application authenticates its users itself ({@link BasicAuthFilter}).
 *
 * <p>Tools run on the thread that subscribes to the call ({@code immediateExecution}), not hopped onto Reactor's
 * bounded-elastic pool: there a tool that throws races Reactor's {@code subscribeOn(Callable)} (the worker cancels
 * itself on the error; the subscribing thread, storing the task's future a moment later, finds it cancelled and
 * interrupts the worker), and the interrupted worker's write of the JSON-RPC error fails in Tomcat, which closes
 * the connection with no response. Without any agent, SDK 0.14.1 and 2.1.0 lose about one thrown call in ten so.
 */
public final class HttpFixtureServer {
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{}}";
    static final List<String> TOOLS = List.of("echo", "delete_account", "drop_table", "limited", "spend", "flaky");
    private static final String RUN_LOG = System.getProperty("fixture.runlog");

    private HttpFixtureServer() {
    }

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        McpJsonMapper mapper = (McpJsonMapper) Sdk.jsonMapper();
        HttpServlet servlet = switch (transport) {
            case "streamable" -> {
                HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider
                        .builder().jsonMapper(mapper).mcpEndpoint("/mcp").build();
                McpServer.sync(provider).serverInfo("http-fixture", "1").capabilities(capabilities())
                        .immediateExecution(true).tools(sessionTools()).build();
                yield provider;
            }
            case "sse" -> {
                HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
                        .jsonMapper(mapper).messageEndpoint("/mcp/message").sseEndpoint("/sse").build();
                McpServer.sync(provider).serverInfo("http-fixture", "1").capabilities(capabilities())
                        .immediateExecution(true).tools(sessionTools()).build();
                yield provider;
            }
            case "stateless" -> {
                HttpServletStatelessServerTransport provider = HttpServletStatelessServerTransport.builder()
                        .jsonMapper(mapper).messageEndpoint("/mcp").build();
                McpServer.sync(provider).serverInfo("http-fixture", "1").capabilities(capabilities())
                        .immediateExecution(true).tools(statelessTools()).build();
                yield provider;
            }
            default -> throw new IllegalArgumentException("transport: streamable, sse or stateless");
        };
        serve(servlet);
    }

    /**
     * Serves {@code servlet} at {@code /*} on a free loopback port, printed as {@code PORT <n>}, until the JVM is
     * stopped; behind the application's own authentication with {@code -Dfixture.basic-auth=true}.
     */
    static void serve(HttpServlet servlet) throws Exception {
        Path base = Files.createTempDirectory("tomcat-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0); // before the connector is made: it takes the port it is made with
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", base.toString());
        if (Boolean.getBoolean("fixture.basic-auth")) {
            FilterDef auth = new FilterDef();
            auth.setFilterName("basic-auth");
            auth.setFilter(new BasicAuthFilter());
            auth.setAsyncSupported("true");
            context.addFilterDef(auth);
            FilterMap everything = new FilterMap();
            everything.setFilterName("basic-auth");
            everything.addURLPattern("/*");
            context.addFilterMap(everything);
        }
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "mcp");
        tomcat.start();
        int port = tomcat.getConnector().getLocalPort();
        if (port < 0) {
            System.err.println("the connector did not start: " + tomcat.getConnector().getStateName());
            System.exit(3);
        }
        System.out.println("PORT " + port);
        System.out.flush();
        tomcat.getServer().await();
    }

    static McpSchema.ServerCapabilities capabilities() {
        return McpSchema.ServerCapabilities.builder().tools(true).build();
    }

    private static McpSchema.CallToolResult run(String tool, Map<String, Object> arguments) {
        if (tool.equals("flaky") && Boolean.TRUE.equals(arguments.get("throw"))) {
            throw new IllegalStateException("flaky threw");
        }
        record(tool.equals("spend") ? "spend " + arguments.get("amount") : tool);
        boolean fail = tool.equals("flaky") && Boolean.TRUE.equals(arguments.get("fail"));
        return (McpSchema.CallToolResult) Sdk.textResult(tool.equals("echo") ? "echo: " + arguments.get("text")
                : fail ? "flaky failed" : tool + " ran", fail);
    }

    /** One line per run, appended whole (O_APPEND writes of a line do not interleave). */
    private static void record(String line) {
        if (RUN_LOG == null) {
            return;
        }
        try {
            Files.writeString(Path.of(RUN_LOG), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException unwritable) {
            throw new IllegalStateException("cannot write the run log", unwritable);
        }
    }

    static List<McpServerFeatures.SyncToolSpecification> sessionTools() {
        return TOOLS.stream().map(name -> McpServerFeatures.SyncToolSpecification.builder()
                .tool((McpSchema.Tool) Sdk.tool(name, name, SCHEMA))
                .callHandler((exchange, request) -> run(name, request.arguments()))
                .build()).toList();
    }

    static List<McpStatelessServerFeatures.SyncToolSpecification> statelessTools() {
        return TOOLS.stream().map(name -> McpStatelessServerFeatures.SyncToolSpecification.builder()
                .tool((McpSchema.Tool) Sdk.tool(name, name, SCHEMA))
                .callHandler((context, request) -> run(name, request.arguments()))
                .build()).toList();
    }
}
