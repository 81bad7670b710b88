package dev.policylayer.engine.settings;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agent's configuration as a flat map of {@code policylayer.*} keys (for example {@code policylayer.policy},
 * {@code policylayer.limit.search}). The agent merges system properties, agent arguments and the environment
 * (in that precedence) into one map; the engine never reads {@code System.getProperty} itself.
 */
public final class Settings {
    public static final String PREFIX = "policylayer.";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Settings from already merged {@code policylayer.*} keys; other keys are ignored. */
    public static Settings of(Map<String, String> values) {
        Map<String, String> own = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k != null && k.startsWith(PREFIX) && v != null) {
                own.put(k, v);
            }
        });
        return new Settings(own);
    }

    public static Settings empty() {
        return new Settings(Map.of());
    }

    /** The value of a full key such as {@code policylayer.mode}. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Every key with its value, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
