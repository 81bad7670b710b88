package dev.policylayer.engine.counter;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A counter store that is still being opened elsewhere (the agent opens Chronicle on a daemon thread so
 * that the application's start-up does not wait for it). Each call waits for the store up to a bounded
 * time, then fails closed; a store that failed to open fails every call with the reason.
 */
public final class DeferredCounterStore implements CounterStore {
    /** How long a call waits for the store by default. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final CompletableFuture<? extends CounterStore> opening;
    private final long waitNanos;
    private volatile CounterStore ready;
    private volatile String failure;
    private volatile boolean closed;

    public DeferredCounterStore(CompletableFuture<? extends CounterStore> opening) {
        this(opening, DEFAULT_WAIT);
    }

    public DeferredCounterStore(CompletableFuture<? extends CounterStore> opening, Duration wait) {
        this.opening = Objects.requireNonNull(opening, "opening");
        this.waitNanos = wait.toNanos();
    }

    @Override
    public Acquisition tryAcquire(String key, CounterSpec spec, long amount) {
        CounterStore store = await();
        return store != null ? store.tryAcquire(key, spec, amount) : Acquisition.failed(whyUnavailable());
    }

    @Override
    public void release(String key, CounterSpec spec, long amount, long ticket) {
        CounterStore store = await();
        if (store != null) {
            store.release(key, spec, amount, ticket);
        }
    }

    @Override
    public long current(String key, CounterSpec spec) {
        CounterStore store = await();
        if (store == null) {
            throw new IllegalStateException(whyUnavailable());
        }
        return store.current(key, spec);
    }

    /** Whether the store has opened (without waiting). */
    public boolean isReady() {
        return ready != null || (opening.isDone() && !opening.isCompletedExceptionally());
    }

    @Override
    public void close() {
        closed = true;
        // A store still opening is closed as soon as it arrives.
        opening.thenAccept(CounterStore::close);
    }

    private CounterStore await() {
        CounterStore store = ready;
        if (store != null || failure != null || closed) {
            return closed ? null : store;
        }
        try {
            store = opening.get(waitNanos, TimeUnit.NANOSECONDS);
            if (store == null) {
                failure = "the counter store failed to open: no store was supplied";
                return null;
            }
            ready = store;
            return store;
        } catch (TimeoutException e) {
            return null; // not ready yet: this call fails closed, a later one may succeed
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            failure = "the counter store failed to open: " + (cause.getMessage() != null ? cause.getMessage() : cause);
            return null;
        } catch (CancellationException e) {
            failure = "the counter store failed to open: opening was cancelled";
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String whyUnavailable() {
        if (closed) {
            return "the counter store is closed";
        }
        String why = failure;
        return why != null ? why
                : "the counter store is not open yet after waiting " + waitNanos / 1_000_000 + " ms";
    }
}
