package dev.policylayer.engine.settings;

import dev.policylayer.engine.counter.redis.RedisLocation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where counters live ({@code policylayer.counters}): in this JVM, in a file every JVM on the host shares, or in
 * Redis, shared by every host.
 *
 * @param file    the shared counter file, or null
 * @param redis   the Redis server, or null
 * @param prefix  the Redis key prefix ({@code policylayer.counters.redis.prefix})
 * @param timeout the per-call Redis timeout ({@code policylayer.counters.redis.timeout})
 * @param unusable why the setting names no usable store (a malformed URL), else null: the store then refuses to
 *                 open, and limited calls are denied saying why, rather than counted somewhere else
 */
public record CounterTarget(Path file, RedisLocation redis, String prefix, Duration timeout, String unusable) {
    /** The default per-call Redis timeout: far above a loopback or same-zone round trip. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(250);
    public static final String DEFAULT_REDIS_PREFIX = "policylayer:";
    public static final CounterTarget IN_MEMORY = new CounterTarget(null, null, null, null, null);

    public static CounterTarget file(Path file) {
        return new CounterTarget(file, null, null, null, null);
    }

    public static CounterTarget redis(RedisLocation redis, String prefix, Duration timeout) {
        return new CounterTarget(null, redis, prefix, timeout, null);
    }

    public static CounterTarget unusable(String why) {
        return new CounterTarget(null, null, null, null, why);
    }

    public boolean inMemory() {
        return file == null && redis == null && unusable == null;
    }

    /** How the start-up line says it: never a password. */
    public String describe() {
        return unusable != null ? "unusable (" + unusable + ")" : file != null ? "shared file " + file
                : redis != null ? "Redis " + redis : "in this JVM";
    }
}
