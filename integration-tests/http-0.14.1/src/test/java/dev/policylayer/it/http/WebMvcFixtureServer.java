package dev.policylayer.it.http;

import dev.policylayer.it.fixture.Sdk;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.WebMvcSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.WebMvcStatelessServerTransport;
import io.modelcontextprotocol.server.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The fixture's tools on one of the SDK's Spring WebMVC transports (streamable, sse, stateless), served by Spring's
 * {@code DispatcherServlet} in embedded Tomcat, as a Spring MVC application serves them.
 */
public final class WebMvcFixtureServer {
    private static RouterFunction<ServerResponse> routes;

    private WebMvcFixtureServer() {
    }

    /** The MCP endpoints, as the application's Spring MVC configuration registers them. */
    @Configuration
    @EnableWebMvc
    public static class Routes {
        @Bean
        public RouterFunction<ServerResponse> mcpRoutes() {
            return routes;
        }
    }

    public static void main(String[] args) throws Exception {
        McpJsonMapper mapper = (McpJsonMapper) Sdk.jsonMapper();
        routes = switch (args[0]) {
            case "streamable" -> {
                WebMvcStreamableServerTransportProvider provider = WebMvcStreamableServerTransportProvider.builder()
                        .jsonMapper(mapper).mcpEndpoint("/mcp").build();
                McpServer.sync(provider).serverInfo("webmvc-fixture", "1")
                        .capabilities(HttpFixtureServer.capabilities()).tools(HttpFixtureServer.sessionTools())
                        .build();
                yield provider.getRouterFunction();
            }
            case "sse" -> {
                WebMvcSseServerTransportProvider provider = WebMvcSseServerTransportProvider.builder()
                        .jsonMapper(mapper).messageEndpoint("/mcp/message").sseEndpoint("/sse").build();
                McpServer.sync(provider).serverInfo("webmvc-fixture", "1")
                        .capabilities(HttpFixtureServer.capabilities()).tools(HttpFixtureServer.sessionTools())
                        .build();
                yield provider.getRouterFunction();
            }
            case "stateless" -> {
                WebMvcStatelessServerTransport provider = WebMvcStatelessServerTransport.builder()
                        .jsonMapper(mapper).messageEndpoint("/mcp").build();
                McpServer.sync(provider).serverInfo("webmvc-fixture", "1")
                        .capabilities(HttpFixtureServer.capabilities()).tools(HttpFixtureServer.statelessTools())
                        .build();
                yield provider.getRouterFunction();
            }
            default -> throw new IllegalArgumentException("transport: streamable, sse or stateless");
        };
        AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
        context.register(Routes.class);
        HttpFixtureServer.serve(new DispatcherServlet(context));
    }
}
