package dev.policylayer.engine.counter.redis;

import dev.policylayer.engine.counter.Admission;
import dev.policylayer.engine.counter.Algorithm;
import dev.policylayer.engine.counter.CounterBatch;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.counter.CounterStoreOpenException;
import dev.policylayer.engine.counter.CounterUnits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Counters in Redis, shared by every host that points at the same server: the limits of one call are reserved by
 * one server-side script (all or none, one round trip), refunds likewise ({@link RedisScripts}). Each counter is one
 * hash under {@code <prefix>{<sha1 of its key>}}, a key of its own Redis Cluster slot, expiring about a window after
 * its last use.
 *
 * <p>Failure is bounded and said: every round trip runs on this store's own small pool of threads (never an
 * application thread or an event loop) and is given up after the timeout; Redis down, slow, refusing the
 * credentials or out of memory answers {@link Admission.Outcome#FAILED} with the reason, and the engine denies (or,
 * with {@code policylayer.fail=open}, lets the call through uncounted). The client reconnects on its own. A
 * reservation given up on its timeout may still have been applied: the call is denied anyway, so that can only
 * count against the caller, never for it.
 */
public final class RedisCounterStore implements CounterStore {
    private static final int THREADS = 8;
    private static final int QUEUED = 1024;

    private final RedisLocation location;
    private final String prefix;
    private final long timeoutMillis;
    private final Clock testClock;
    private final JedisPool pool;
    private final ThreadPoolExecutor workers;
    private volatile boolean closed;

    private RedisCounterStore(RedisLocation location, String prefix, Duration timeout, Clock testClock) {
        this.location = location;
        this.prefix = prefix;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.testClock = testClock;
        this.pool = RedisConnections.pool(location, timeoutMillis, THREADS);
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), task -> {
                    Thread thread = new Thread(task, "policylayer-redis");
                    thread.setDaemon(true);
                    thread.setContextClassLoader(RedisCounterStore.class.getClassLoader());
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Connects and checks the credentials once (a PING), so that a wrong password or an unreachable server is said
     * at start-up; the caller (a deferred store) tries again until it works.
     *
     * @throws CounterStoreOpenException naming the location (never the password) and what went wrong
     */
    public static RedisCounterStore open(RedisLocation location, String prefix, Duration timeout) {
        return open(location, prefix, timeout, null);
    }

    /** As {@link #open}, with the scripts' clock taken from {@code clock} instead of Redis's {@code TIME}: tests. */
    static RedisCounterStore open(RedisLocation location, String prefix, Duration timeout, Clock clock) {
        RedisCounterStore store = new RedisCounterStore(location, prefix, timeout, clock);
        try (Jedis jedis = store.pool.getResource()) {
            jedis.ping();
            return store;
        } catch (RuntimeException unreachable) {
            store.close();
            throw new CounterStoreOpenException("the Redis counter store at " + location + " "
                    + why(unreachable) + "; check policylayer.counters", unreachable);
        }
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Admission reserve(CounterBatch batch) {
        try {
            return reserveAsync(batch).toCompletableFuture().get(timeoutMillis * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Admission.failed(0, "the Redis counter store at " + location + " did not answer in time");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Admission.failed(0, "interrupted while waiting for the Redis counter store");
        }
    }

    @Override
    public CompletionStage<Admission> reserveAsync(CounterBatch batch) {
        int n = batch.size();
        List<String> keys = new ArrayList<>(n);
        List<String> args = new ArrayList<>(1 + n * 5);
        args.add(now());
        for (int i = 0; i < n; i++) {
            CounterSpec spec = batch.spec(i);
            long amount = batch.amount(i);
            if (amount <= 0 || amount > CounterUnits.MAX_UNITS) {
                return CompletableFuture.completedFuture(amount <= 0 ? Admission.failed(i, "amount must be greater"
                        + " than 0, was " + amount) : Admission.refused(i, 0));
            }
            keys.add(key(batch.key(i), spec));
            args.add(spec.algorithm() == Algorithm.SLIDING ? "s" : "f");
            args.add(Long.toString(spec.windowMillis()));
            args.add(Long.toString(spec.max()));
            args.add(Long.toString(amount));
            args.add(shown(batch.key(i)));
        }
        return run(jedis -> evaluate(jedis, RedisScripts.RESERVE, keys, args)).thenApply(reply -> {
            List<?> result = (List<?>) reply;
            if (((Long) result.get(0)) == 1L) {
                for (int i = 0; i < n; i++) {
                    batch.ticket(i, (Long) result.get(1 + i));
                }
                return Admission.GRANTED;
            }
            return Admission.refused(((Long) result.get(1)).intValue() - 1, (Long) result.get(2));
        }).exceptionally(failure -> Admission.failed(0, "the Redis counter store at " + location + " "
                + why(unwrap(failure))));
    }

    @Override
    public void release(CounterBatch batch) {
        releaseAsync(batch); // fire and forget: a refund that cannot be made leaves the counter higher (the safe side)
    }

    /** The refund's round trip, for tests that must see it done before they go on. */
    CompletableFuture<Object> releaseAsync(CounterBatch batch) {
        int n = batch.size();
        List<String> keys = new ArrayList<>(n);
        List<String> args = new ArrayList<>(1 + n * 4);
        args.add(now());
        for (int i = 0; i < n; i++) {
            CounterSpec spec = batch.spec(i);
            keys.add(key(batch.key(i), spec));
            args.add(spec.algorithm() == Algorithm.SLIDING ? "s" : "f");
            args.add(Long.toString(spec.windowMillis()));
            args.add(Long.toString(batch.amount(i)));
            args.add(Long.toString(batch.ticket(i)));
        }
        return run(jedis -> evaluate(jedis, RedisScripts.RELEASE, keys, args));
    }

    @Override
    public long current(String key, CounterSpec spec) {
        try {
            Object reply = run(jedis -> evaluate(jedis, RedisScripts.CURRENT, List.of(key(key, spec)), List.of(now(),
                    spec.algorithm() == Algorithm.SLIDING ? "s" : "f", Long.toString(spec.windowMillis()))))
                    .get(timeoutMillis * 2, TimeUnit.MILLISECONDS);
            return (Long) reply;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException failed) {
            throw new IllegalStateException("the Redis counter store at " + location + " " + why(unwrap(failed)));
        }
    }

    /** A bare round trip on the same connections, for the benchmark that compares a decision with it. */
    public CompletableFuture<Object> ping() {
        return run(Jedis::ping);
    }

    /** Every counter the server holds under this store's prefix, for the command line. */
    public List<RedisCounter> list() {
        try {
            return run(jedis -> RedisListing.read(jedis, prefix, (hash, spec) -> (Long) evaluate(jedis,
                    RedisScripts.CURRENT, List.of(hash), List.of(now(), spec.algorithm() == Algorithm.SLIDING ? "s"
                            : "f", Long.toString(spec.windowMillis()))))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException failed) {
            throw new IllegalStateException("the Redis counter store at " + location + " " + why(unwrap(failed)));
        }
    }

    /** One counter as listed: its key as the agent wrote it (cut short if long), its window and algorithm. */
    public record RedisCounter(String key, long windowMillis, Algorithm algorithm, long inWindow) {
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        pool.close();
    }

    @Override
    public String toString() {
        return "Redis counter store at " + location;
    }

    // ---------------------------------------------------------------- the round trip

    private <T> CompletableFuture<T> run(Function<Jedis, T> command) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("is closed"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (Jedis jedis = pool.getResource()) {
                    return command.apply(jedis);
                }
            }, workers).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException full) {
            return CompletableFuture.failedFuture(new IllegalStateException("has " + QUEUED + " calls waiting for it"
                    + " already"));
        }
    }

    static Object evaluate(Jedis jedis, RedisScripts.Script script, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(script.sha(), keys, args);
        } catch (JedisNoScriptException notLoaded) {
            return jedis.eval(script.text(), keys, args); // it did not run; EVAL runs it and caches it
        }
    }

    private String now() {
        return testClock == null ? "" : Long.toString(testClock.millis());
    }

    /** {@code <prefix>{<sha1 of the counter key, window and algorithm>}}: a changed limit starts a fresh counter. */
    String key(String counterKey, CounterSpec spec) {
        return prefix + "{" + sha1(counterKey + '\u0000' + spec.algorithm().name().charAt(0) + spec.windowMillis())
                + "}";
    }

    /** The counter's key as listed: bounded, since a session or tool name can be long. */
    private static String shown(String counterKey) {
        return counterKey.length() <= 300 ? counterKey : counterKey.substring(0, 300) + "…";
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_16LE)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-1 is required of every JVM", impossible);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** What went wrong, in words, never quoting a credential. */
    static String why(Throwable failure) {
        return RedisConnections.why(failure);
    }
}
