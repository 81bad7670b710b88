package dev.policylayer.engine.settings;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the three places a setting can come from, with the spec's precedence: system property, then agent
 * argument, then environment. The agent passes what it read; nothing here reads the process itself.
 */
public final class SettingsSources {
    private static final String ENV_PREFIX = "POLICYLAYER_";
    private static final String ENV_LIMIT_PREFIX = "POLICYLAYER_LIMIT_";

    private SettingsSources() {
    }

    /**
     * @param systemProperties every system property (other keys are ignored)
     * @param agentArgs        the {@code -javaagent:policylayer.jar=...} string, or null
     * @param environment      the process environment
     */
    public static Settings merge(Map<String, String> systemProperties, String agentArgs,
                                 Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>(fromEnvironment(environment));
        merged.putAll(fromAgentArgs(agentArgs));
        systemProperties.forEach((key, value) -> {
            if (key.startsWith(Settings.PREFIX)) {
                merged.put(key, value);
            }
        });
        return Settings.of(merged);
    }

    /**
     * {@code policy=p.json,mode=monitor,allow=search,list_files}: keys without the {@code policylayer.}
     * prefix; a comma-separated part without {@code =} continues the previous value, so lists need no quoting.
     * A value may also use {@code ;} between list items.
     */
    static Map<String, String> fromAgentArgs(String agentArgs) {
        Map<String, String> settings = new HashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return settings;
        }
        String currentKey = null;
        for (String part : agentArgs.split(",", -1)) {
            int eq = part.indexOf('=');
            boolean startsSetting = eq > 0 && isSettingName(part.substring(0, eq).trim());
            if (startsSetting) {
                currentKey = key(part.substring(0, eq).trim());
                settings.put(currentKey, part.substring(eq + 1).trim());
            } else if (currentKey != null) {
                settings.merge(currentKey, part.trim(), (previous, more) -> previous + "," + more);
            } else if (!part.isBlank()) {
                // A leading bare value is the policy, as in -javaagent:policylayer.jar=policy.json
                currentKey = Settings.PREFIX + "policy";
                settings.put(currentKey, part.trim());
            }
        }
        return settings;
    }

    private static boolean isSettingName(String name) {
        return !name.isEmpty() && !name.contains("{") && !name.contains("\"") && !name.contains(" ");
    }

    private static String key(String name) {
        return name.startsWith(Settings.PREFIX) ? name : Settings.PREFIX + name;
    }

    /**
     * {@code POLICYLAYER_POLICY} → {@code policylayer.policy}; {@code POLICYLAYER_LIMIT_search_docs} →
     * {@code policylayer.limit.search_docs} (the tool name kept as written, since names are case-sensitive and
     * may contain underscores); {@code POLICYLAYER_LIMIT_ALL} → {@code policylayer.limit.*}.
     */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_LIMIT_PREFIX) && name.length() > ENV_LIMIT_PREFIX.length()) {
                String tool = name.substring(ENV_LIMIT_PREFIX.length());
                settings.put(Settings.PREFIX + "limit." + ("ALL".equals(tool) ? "*" : tool), value);
            } else if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                settings.put(Settings.PREFIX + rest, value);
            }
        });
        return settings;
    }
}
