package dev.policylayer.engine.decision;

import dev.policylayer.engine.policy.Limit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counter key of one limit for one call: the counter's name plus whose calls it counts (everyone, the
 * grant, the session, the tool). Parts are length-prefixed, so no tool or session name can forge another's
 * key. Keys that do not depend on the call are built once, so the hot path hands the store the same String.
 */
final class CounterKeys {
    /** Names (tools, grants) whose key is kept; callers choose names, so past this keys are built per call. */
    private static final int MAX_CACHED_NAMES = 4096;
    /** Identities (tool names, sessions, grants) longer than this are keyed by their hash. */
    static final int MAX_IDENTITY_CHARS = 256;

    private final Limit limit;
    private final String defaultGrant;
    private final String globalKey;
    private final String defaultGrantKey;
    private final ConcurrentHashMap<String, String> perTool = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> perGrant = new ConcurrentHashMap<>();

    CounterKeys(Limit limit, String defaultGrant) {
        this.limit = limit;
        this.defaultGrant = defaultGrant;
        this.globalKey = compose("global", "");
        this.defaultGrantKey = compose("grant", defaultGrant);
    }

    /** The key, or null when the call cannot be counted for this limit (its session could not be read). */
    String keyFor(ToolCall call) {
        return switch (limit.scope()) {
            case GLOBAL -> globalKey;
            case GRANT -> grantKey(call.grant());
            case TOOL -> cached(perTool, "tool", call.tool());
            // A call with no session (a stateless server) counts with its grant: the documented fallback. A session
            // that exists but could not be read is another matter: the caller denies rather than pool it.
            case SESSION -> call.session().isUnreadable() ? null
                    : call.session().id() == null ? grantKey(call.grant()) : compose("session", call.session().id());
        };
    }

    private String grantKey(String grant) {
        return grant == null || grant.equals(defaultGrant) ? defaultGrantKey : cached(perGrant, "grant", grant);
    }

    private String cached(ConcurrentHashMap<String, String> cache, String scope, String identity) {
        String key = cache.get(identity);
        if (key == null) {
            key = compose(scope, identity);
            if (cache.size() < MAX_CACHED_NAMES && identity.length() <= MAX_IDENTITY_CHARS) {
                cache.putIfAbsent(identity, key);
            }
        }
        return key;
    }

    /**
     * The key's identity part: the identity itself, or for one longer than {@link #MAX_IDENTITY_CHARS} (callers
     * choose tool names) its SHA-256, so a key's size is bounded whatever the caller sends.
     */
    private String compose(String scope, String identity) {
        String name = limit.counter();
        boolean hashed = identity.length() > MAX_IDENTITY_CHARS;
        String who = hashed ? digest(identity) : identity;
        // A hashed identity's scope is marked, so no identity of its own can spell another's hash.
        return scope + (hashed ? "#" : "") + ":" + name.length() + ":" + name + ":" + who.length() + ":" + who;
    }

    private static String digest(String identity) {
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
            return "sha256/" + identity.length() + "/" + java.util.HexFormat.of().formatHex(sha);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
