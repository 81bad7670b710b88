package dev.policylayer.engine.settings;

import dev.policylayer.engine.counter.redis.RedisLocation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where approvals live ({@code policylayer.approvals}), and who is told of a new request
 * ({@code policylayer.approval.webhook}). By default beside the counters: in this JVM when they are, in
 * {@code <counter file>.approvals} next to a counter file, in the same Redis.
 *
 * @param file      the approval file, or null
 * @param redis     the Redis server, or null
 * @param prefix    the Redis key prefix
 * @param timeout   the Redis round-trip bound
 * @param unusable  why the setting names no usable store, else null: calls that need approval are then denied
 * @param webhook   where a new pending approval is POSTed (its argument keys, never their values), or null
 */
public record ApprovalTarget(Path file, RedisLocation redis, String prefix, Duration timeout, String unusable,
                             URI webhook) {

    public boolean inMemory() {
        return file == null && redis == null && unusable == null;
    }

    /** What an operator passes to {@code approvals <store>} to reach it; null for a store in this JVM. */
    public String operatorArgument() {
        if (file != null) {
            return file.toString();
        }
        if (redis != null) {
            return redis + (CounterTarget.DEFAULT_REDIS_PREFIX.equals(prefix) ? "" : " --prefix " + prefix);
        }
        return null;
    }

    public String describe() {
        return unusable != null ? "unusable (" + unusable + ")" : file != null ? "file " + file
                : redis != null ? "Redis " + redis : "in this JVM";
    }

    static ApprovalTarget from(Settings settings, CounterTarget counters,
                               java.util.function.Function<String, String> environment, java.util.List<String> problems) {
        URI webhook = null;
        String hook = settings.get("policylayer.approval.webhook").map(String::trim).orElse("");
        if (!hook.isEmpty()) {
            try {
                webhook = URI.create(hook);
                if (!("http".equals(webhook.getScheme()) || "https".equals(webhook.getScheme()))
                        || webhook.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException malformed) {
                problems.add("policylayer.approval.webhook must be an http:// or https:// URL; no webhook is"
                        + " called");
                webhook = null;
            }
        }
        String where = settings.get("policylayer.approvals").map(String::trim).orElse("");
        if (where.isEmpty()) {
            if (counters.unusable() != null) {
                return new ApprovalTarget(null, null, null, null, counters.unusable(), webhook);
            }
            Path file = counters.file() == null ? null
                    : counters.file().resolveSibling(counters.file().getFileName() + ".approvals");
            return new ApprovalTarget(file, counters.redis(), counters.prefix(), counters.timeout(), null, webhook);
        }
        if (!where.startsWith("redis://") && !where.startsWith("rediss://")) {
            return new ApprovalTarget(Path.of(where), null, null, null, null, webhook);
        }
        String passwordEnv = settings.get("policylayer.approvals.redis.password-env")
                .or(() -> settings.get("policylayer.counters.redis.password-env")).map(String::trim).orElse("");
        String password = passwordEnv.isEmpty() ? null : environment.apply(passwordEnv);
        try {
            return new ApprovalTarget(null, RedisLocation.parse(where, password), settings.get(
                    "policylayer.approvals.redis.prefix").orElse(CounterTarget.DEFAULT_REDIS_PREFIX),
                    CounterTarget.DEFAULT_REDIS_TIMEOUT, null, webhook);
        } catch (IllegalArgumentException malformed) {
            problems.add("policylayer.approvals " + malformed.getMessage());
            return new ApprovalTarget(null, null, null, null, "policylayer.approvals " + malformed.getMessage(),
                    webhook);
        }
    }
}
