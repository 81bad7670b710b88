package dev.policylayer.engine.approval;

import dev.policylayer.engine.counter.redis.RedisConnections;
import dev.policylayer.engine.counter.redis.RedisLocation;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.params.SetParams;

/**
 * Approvals in Redis, shared by every host and surviving restarts: the book is one document under
 * {@code <prefix>approvals}, changed under a lock ({@code <prefix>approvals:lock}, taken with {@code SET NX PX}
 * and released only by its holder), so each use is taken atomically across hosts. Approvals are rare and the book
 * small, so one document read and written whole keeps the rules in one place ({@link ApprovalBook}) for every store.
 */
public final class RedisApprovalStorage implements ApprovalStorage {
    /** Longer than any operation takes; a holder that died frees the lock after this. */
    private static final long LOCK_MILLIS = 10_000;
    private static final long WAIT_MILLIS = 5_000;
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('DEL', KEYS[1]) else return 0 end";

    private final RedisLocation location;
    private final String document;
    private final String lock;
    private final JedisPool pool;
    private final boolean mustExist;

    /**
     * @param timeout   bound of each round trip
     * @param mustExist for an operator's command: no book in Redis is an error, not an empty store
     */
    public RedisApprovalStorage(RedisLocation location, String prefix, Duration timeout, boolean mustExist) {
        this.location = location;
        this.document = prefix + "approvals";
        this.lock = prefix + "approvals:lock";
        this.pool = RedisConnections.pool(location, timeout.toMillis(), 2);
        this.mustExist = mustExist;
    }

    @Override
    public <T> T locked(Change<T> change) throws ApprovalStoreException {
        String token = UUID.randomUUID().toString();
        try (Jedis redis = pool.getResource()) {
            long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            while (!"OK".equals(redis.set(lock, token, SetParams.setParams().nx().px(LOCK_MILLIS)))) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new ApprovalStoreException("the approvals in " + describe() + " stayed locked for "
                            + WAIT_MILLIS + " ms", true, null);
                }
                Thread.sleep(5);
            }
            try {
                String text = redis.get(document);
                if (text == null && mustExist) {
                    throw new ApprovalStoreException("there are no approvals under " + document + " in "
                            + location + " (a server creates them when a call first asks for approval)", true, null);
                }
                ApprovalBook book = new ApprovalBook(text == null ? List.of()
                        : ApprovalJson.read(text, "the approvals under " + document + " in " + location));
                T result = change.apply(book);
                if (book.changed()) {
                    redis.set(document, ApprovalJson.write(book.all()));
                }
                return result;
            } finally {
                redis.eval(RELEASE, List.of(lock), List.of(token));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApprovalStoreException("interrupted while waiting for the approvals in " + describe(), true,
                    interrupted);
        } catch (RuntimeException failure) {
            throw new ApprovalStoreException("the approvals in " + describe() + " cannot be used: Redis "
                    + RedisConnections.why(failure), true, failure);
        }
    }

    @Override
    public String describe() {
        return "Redis at " + location + " (" + document + ")";
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public void close() {
        pool.close();
    }
}
