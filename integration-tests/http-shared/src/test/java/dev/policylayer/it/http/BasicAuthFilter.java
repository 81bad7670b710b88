package dev.policylayer.it.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;

/**
 * The application's own authentication, as a servlet filter: HTTP Basic against a fixed table of users. A request
 * with the right password goes on with its user as the principal; a wrong one is answered 401; one without
 * credentials goes on unauthenticated (the MCP endpoint is open to it, the policy agent is not).
 */
final class BasicAuthFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final Map<String, String> USERS = Map.of("alice", "alice-password", "bob", "bob-password");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Basic ")) {
            chain.doFilter(request, response);
            return;
        }
        String[] credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8).split(":", 2);
        if (credentials.length != 2 || !credentials[1].equals(USERS.get(credentials[0]))) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        Principal user = () -> credentials[0];
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return user;
            }

            @Override
            public String getRemoteUser() {
                return user.getName();
            }
        }, response);
    }
}
