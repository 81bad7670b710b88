package dev.policylayer.agent.caller;

/** The token of an {@code Authorization: Bearer <token>} header value (RFC 6750; the scheme in any case). */
final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** The token, or null when the value holds none ({@link #whyNone} says why). */
    static String of(String authorization) {
        String value = authorization.trim();
        if (value.length() <= SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = value.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }

    static String whyNone(String authorization) {
        String value = authorization.trim();
        return value.regionMatches(true, 0, SCHEME, 0, SCHEME.length() - 1) && value.length() <= SCHEME.length()
                ? "the request's bearer token is empty" : "the request's Authorization header is not a bearer token";
    }
}
