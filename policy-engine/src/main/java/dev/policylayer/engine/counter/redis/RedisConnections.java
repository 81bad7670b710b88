package dev.policylayer.engine.counter.redis;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Connections to one Redis, as the agent's stores make them, and their failures said in words. */
public final class RedisConnections {

    private RedisConnections() {
    }

    /** A pool of {@code size} connections whose every connect and read is bounded by {@code timeoutMillis}. */
    public static JedisPool pool(RedisLocation location, long timeoutMillis, int size) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis));
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).database(location.database())
                .clientName("policylayer").ssl(location.tls());
        if (location.user() != null) {
            client.user(location.user());
        }
        if (location.password() != null) {
            client.password(location.password());
        }
        GenericObjectPoolConfig<Jedis> connections = new GenericObjectPoolConfig<>();
        connections.setMaxTotal(size);
        connections.setMaxIdle(size);
        connections.setMaxWait(Duration.ofMillis(millis));
        connections.setJmxEnabled(false);
        return new JedisPool(connections, new HostAndPort(location.host(), location.port()), client.build());
    }

    /** What went wrong, in words, never quoting a credential. */
    public static String why(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (failure instanceof TimeoutException) {
            return "did not answer within its timeout (policylayer.counters.redis.timeout)";
        }
        if (failure instanceof JedisAccessControlException || message.startsWith("WRONGPASS")
                || message.startsWith("NOAUTH") || message.startsWith("NOPERM")) {
            return "refused the credentials or the command (" + message.split(" ", 2)[0] + "); check the user and"
                    + " password of policylayer.counters";
        }
        if (failure instanceof JedisConnectionException) {
            return "cannot be reached (" + message + ")";
        }
        if (failure instanceof JedisDataException && message.startsWith("OOM")) {
            return "is out of memory (OOM: its maxmemory is reached)";
        }
        return "failed (" + (message.isEmpty() ? failure.getClass().getSimpleName() : message) + ")";
    }
}
