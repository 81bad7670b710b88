package dev.policylayer.engine.grants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated grants file ({@code policylayer.grants}): who the callers are, and what happens to a caller it does not
 * know ({@code unknown}: denied, or counted as a fallback grant). Immutable; a reload builds a new one.
 */
public final class Grants {
    private final String source;
    private final Map<String, Grant> grants;
    private final String fallback;
    private final String hash;
    private final Map<String, Grant> byToken = new HashMap<>();
    private final Map<String, Grant> byPrincipal = new HashMap<>();
    private final Map<String, Grant> byHeader = new HashMap<>();

    /**
     * @param grants   every grant, by label, in document order
     * @param fallback the label a caller nobody recognises gets, or null to deny it {@code (no grant)}
     * @param hash     the SHA-256 of the file, hex
     */
    public Grants(String source, Map<String, Grant> grants, String fallback, String hash) {
        this.source = source;
        this.grants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grants));
        this.fallback = fallback;
        this.hash = hash;
        for (Grant grant : grants.values()) {
            grant.tokenHashes().forEach(h -> byToken.put(h, grant));
            grant.principals().forEach(p -> byPrincipal.put(p, grant));
            grant.headerValues().forEach(v -> byHeader.put(v, grant));
        }
    }

    public String source() {
        return source;
    }

    public String hash() {
        return hash;
    }

    /** The fallback grant's label, or null when an unknown caller is denied. */
    public String fallback() {
        return fallback;
    }

    public Collection<Grant> all() {
        return grants.values();
    }

    public Grant byLabel(String label) {
        return grants.get(label);
    }

    /** The grant whose token this is (compared by SHA-256), or null. */
    public Grant byToken(String token) {
        return byToken.get(sha256(token));
    }

    public Grant byPrincipal(String principal) {
        return byPrincipal.get(principal);
    }

    public Grant byHeaderValue(String value) {
        return byHeader.get(value);
    }

    /** Lower-case hex SHA-256 of a token's UTF-8 bytes: what a grants file stores. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
