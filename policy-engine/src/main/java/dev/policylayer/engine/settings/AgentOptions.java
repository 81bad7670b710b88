package dev.policylayer.engine.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings that steer the agent rather than the policy. An invalid value falls back to the safe choice
 * (enforce, fail closed) and is reported in {@link #problems()}, so a typo never weakens enforcement.
 */
public record AgentOptions(Mode mode, FailMode fail, String grant, Optional<Path> counters, int counterKeys,
                           Optional<String> audit, long auditMaxBytes, boolean reload, List<String> problems) {

    public static final String DEFAULT_GRANT = "default";
    public static final int DEFAULT_COUNTER_KEYS = 100_000;
    /** An audit file past this size is rotated to {@code <file>.1} (one previous file is kept). */
    public static final long DEFAULT_AUDIT_MAX_BYTES = 100L * 1024 * 1024;

    /** {@code policylayer.mode}. */
    public enum Mode {
        /** Denials block the call (default). */
        ENFORCE,
        /** Decide and record, block nothing. */
        MONITOR
    }

    /** {@code policylayer.fail}: what happens when the policy cannot be loaded. */
    public enum FailMode {
        /** Deny every call, saying why (default). */
        CLOSED,
        /** Allow every call, with a warning. */
        OPEN
    }

    public AgentOptions {
        problems = List.copyOf(problems);
    }

    public static AgentOptions from(Settings settings) {
        List<String> problems = new ArrayList<>();
        Mode mode = choice(settings, "policylayer.mode", Mode.class, Mode.ENFORCE, problems);
        FailMode fail = choice(settings, "policylayer.fail", FailMode.class, FailMode.CLOSED, problems);
        String grant = settings.get("policylayer.grant").map(String::trim).filter(g -> !g.isEmpty())
                .orElse(DEFAULT_GRANT);
        Optional<Path> counters = settings.get("policylayer.counters").map(String::trim)
                .filter(c -> !c.isEmpty()).map(Path::of);
        int keys = DEFAULT_COUNTER_KEYS;
        Optional<String> keysText = settings.get("policylayer.counters.keys");
        if (keysText.isPresent()) {
            try {
                keys = Integer.parseInt(keysText.get().trim());
                if (keys < 16) {
                    problems.add("policylayer.counters.keys must be at least 16, got " + keys
                            + "; using " + DEFAULT_COUNTER_KEYS);
                    keys = DEFAULT_COUNTER_KEYS;
                }
            } catch (NumberFormatException notANumber) {
                problems.add("policylayer.counters.keys must be a whole number, got \"" + keysText.get()
                        + "\"; using " + DEFAULT_COUNTER_KEYS);
            }
        }
        Optional<String> audit = settings.get("policylayer.audit").map(String::trim).filter(a -> !a.isEmpty());
        long auditMaxBytes = DEFAULT_AUDIT_MAX_BYTES;
        Optional<String> maxText = settings.get("policylayer.audit.max-bytes");
        if (maxText.isPresent()) {
            try {
                auditMaxBytes = Long.parseLong(maxText.get().trim());
                if (auditMaxBytes < 4096) {
                    problems.add("policylayer.audit.max-bytes must be at least 4096, got " + auditMaxBytes
                            + "; using " + DEFAULT_AUDIT_MAX_BYTES);
                    auditMaxBytes = DEFAULT_AUDIT_MAX_BYTES;
                }
            } catch (NumberFormatException notANumber) {
                problems.add("policylayer.audit.max-bytes must be a whole number of bytes, got \"" + maxText.get()
                        + "\"; using " + DEFAULT_AUDIT_MAX_BYTES);
            }
        }
        boolean reload = true;
        Optional<String> reloadText = settings.get("policylayer.reload").map(s -> s.trim().toLowerCase(Locale.ROOT));
        if (reloadText.isPresent()) {
            if (reloadText.get().equals("false")) {
                reload = false;
            } else if (!reloadText.get().equals("true")) {
                problems.add("policylayer.reload must be true or false, got \"" + reloadText.get()
                        + "\"; using true");
            }
        }
        return new AgentOptions(mode, fail, grant, counters, keys, audit, auditMaxBytes, reload, problems);
    }

    private static <E extends Enum<E>> E choice(Settings settings, String key, Class<E> type, E safe,
                                                List<String> problems) {
        Optional<String> text = settings.get(key);
        if (text.isEmpty()) {
            return safe;
        }
        String wanted = text.get().trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        problems.add(key + " must be one of " + String.join(", ", names) + ", got \"" + text.get()
                + "\"; using " + safe.name().toLowerCase(Locale.ROOT));
        return safe;
    }
}
