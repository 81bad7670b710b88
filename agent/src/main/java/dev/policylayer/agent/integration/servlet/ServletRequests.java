package dev.policylayer.agent.integration.servlet;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.policylayer.agent.caller.RequestReader;
import dev.policylayer.agent.integration.ChokePoint;
import dev.policylayer.agent.integration.Integration;
import java.util.List;

/**
 * Jakarta Servlet: where an MCP request over HTTP enters the application, so a call's decision can read its
 * caller (installed only when {@code policylayer.identity} reads one). {@code HttpServlet#service(HttpServletRequest,
 * HttpServletResponse)} runs for every servlet: the MCP SDK's streamable, SSE and stateless servlet transports,
 * and Spring's {@code DispatcherServlet} in front of the WebMVC transports. Each of them runs the tools/call handler
 * on that same thread, inside {@code service} (they block on the reply), so the request in flight on the thread is
 * the call's. Reactive transports (WebFlux) run on event loops no servlet sees: their calls carry no caller.
 */
public final class ServletRequests implements Integration {
    /** The id the advice passes to the gate. */
    public static final String ID = "servlet-request";
    static final String HTTP_SERVLET = "jakarta.servlet.http.HttpServlet";

    private final RequestReader reader = new ServletRequestReader();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Jakarta Servlet";
    }

    @Override
    public List<ChokePoint> chokePoints() {
        return List.of(new ChokePoint(HTTP_SERVLET, "request identity", List.of(named("service")
                .and(takesArguments(2))
                .and(takesArgument(0, named("jakarta.servlet.http.HttpServletRequest")))
                .and(takesArgument(1, named("jakarta.servlet.http.HttpServletResponse")))),
                RequestAdvice.class, null, null, null));
    }

    @Override
    public RequestReader requests() {
        return reader;
    }
}
