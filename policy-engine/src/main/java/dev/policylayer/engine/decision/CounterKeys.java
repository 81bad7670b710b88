package dev.policylayer.engine.decision;

import dev.policylayer.engine.policy.Limit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counter key of one limit for one call: the counter's name plus whose calls it counts (everyone, this
 * grant, the session, the tool). Parts are length-prefixed, so no tool or session name can forge another's
 * key. Keys that do not depend on the call are built once, so the hot path hands the store the same String.
 */
final class CounterKeys {
    /** Tool names whose key is kept; callers choose names, so past this keys are built per call instead. */
    private static final int MAX_CACHED_NAMES = 4096;

    private final Limit limit;
    private final String fixedKey;
    private final String grantKey;
    private final ConcurrentHashMap<String, String> perName = new ConcurrentHashMap<>();

    CounterKeys(Limit limit, String grant) {
        this.limit = limit;
        this.grantKey = compose("grant", grant);
        this.fixedKey = switch (limit.scope()) {
            case GLOBAL -> compose("global", "");
            case GRANT -> grantKey;
            default -> null;
        };
    }

    String keyFor(ToolCall call) {
        if (fixedKey != null) {
            return fixedKey;
        }
        return switch (limit.scope()) {
            case TOOL -> toolKey(call.tool());
            // A call with no session (a stateless server) is counted with its grant: documented fallback.
            case SESSION -> call.session() == null ? grantKey : compose("session", call.session());
            default -> grantKey;
        };
    }

    private String toolKey(String tool) {
        String key = perName.get(tool);
        if (key == null) {
            key = compose("tool", tool);
            if (perName.size() < MAX_CACHED_NAMES) {
                perName.putIfAbsent(tool, key);
            }
        }
        return key;
    }

    private String compose(String scope, String identity) {
        String name = limit.counter();
        return scope + ":" + name.length() + ":" + name + ":" + identity.length() + ":" + identity;
    }
}
