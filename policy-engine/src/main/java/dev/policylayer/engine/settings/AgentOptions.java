package dev.policylayer.engine.settings;

import dev.policylayer.engine.counter.redis.RedisLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings that steer the agent rather than the policy. An invalid value falls back to the safe choice
 * (enforce, fail closed) and is reported in {@link #problems()}, so a typo never weakens enforcement.
 */
public record AgentOptions(Mode mode, FailMode fail, String grant, CounterTarget counters, int counterKeys,
                           Optional<String> audit, long auditMaxBytes, boolean reload, CallerIdentity identity,
                           ApprovalTarget approvals, List<String> problems) {

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

    /** As {@link #from(Settings, java.util.function.Function)}, with no environment to read a Redis password from. */
    public static AgentOptions from(Settings settings) {
        return from(settings, name -> null);
    }

    /**
     * @param environment the process environment, read only for the variable {@code policylayer.counters.redis.password-env}
     *                    names (the engine never reads the environment itself)
     */
    public static AgentOptions from(Settings settings, java.util.function.Function<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Mode mode = choice(settings, "policylayer.mode", Mode.class, Mode.ENFORCE, problems);
        FailMode fail = choice(settings, "policylayer.fail", FailMode.class, FailMode.CLOSED, problems);
        String grant = settings.get("policylayer.grant").map(String::trim).filter(g -> !g.isEmpty())
                .orElse(DEFAULT_GRANT);
        CounterTarget counters = counters(settings, environment, problems);
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
        CallerIdentity identity = CallerIdentity.from(settings);
        if (identity.problem() != null) {
            problems.add(identity.problem() + "; every server-side tool call is denied until this is fixed");
        }
        ApprovalTarget approvals = ApprovalTarget.from(settings, counters, environment, problems);
        return new AgentOptions(mode, fail, grant, counters, keys, audit, auditMaxBytes, reload, identity, approvals,
                problems);
    }

    private static CounterTarget counters(Settings settings, java.util.function.Function<String, String> environment,
                                          List<String> problems) {
        String where = settings.get("policylayer.counters").map(String::trim).orElse("");
        if (where.isEmpty()) {
            return CounterTarget.IN_MEMORY;
        }
        if (!where.startsWith("redis://") && !where.startsWith("rediss://")) {
            return CounterTarget.file(Path.of(where));
        }
        String passwordEnv = settings.get("policylayer.counters.redis.password-env").map(String::trim).orElse("");
        String password = passwordEnv.isEmpty() ? null : environment.apply(passwordEnv);
        if (!passwordEnv.isEmpty() && password == null) {
            problems.add("policylayer.counters.redis.password-env names " + passwordEnv + ", which is not set");
        }
        java.time.Duration timeout = CounterTarget.DEFAULT_REDIS_TIMEOUT;
        String timeoutText = settings.get("policylayer.counters.redis.timeout").map(String::trim).orElse("");
        if (!timeoutText.isEmpty()) {
            java.time.Duration parsed = dev.policylayer.engine.load.WindowText.duration(timeoutText);
            if (parsed == null || parsed.isZero()) {
                problems.add("policylayer.counters.redis.timeout must be a duration such as 250ms or 1s, got \""
                        + timeoutText + "\"; using " + CounterTarget.DEFAULT_REDIS_TIMEOUT.toMillis() + "ms");
            } else {
                timeout = parsed;
            }
        }
        String prefix = settings.get("policylayer.counters.redis.prefix").orElse(CounterTarget.DEFAULT_REDIS_PREFIX);
        try {
            return CounterTarget.redis(RedisLocation.parse(where, password), prefix, timeout);
        } catch (IllegalArgumentException malformed) {
            // Not a usable server: the store cannot open, so limited calls are denied saying why (fail closed).
            problems.add("policylayer.counters " + malformed.getMessage());
            return CounterTarget.unusable("policylayer.counters " + malformed.getMessage());
        }
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
