package dev.policylayer.engine.counter;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A counter store that opens on a daemon thread of its own, so that neither the application's start-up nor a
 * call waits for it more than a short bound. Until it is open a call that needs a counter waits at most
 * {@code wait}, then fails closed with the reason; a store that cannot open (disk full, a file another process
 * holds, a file that is damaged) fails calls at once with the reason, and the opener keeps trying in the
 * background, so the store comes into use as soon as the cause is fixed.
 */
public final class DeferredCounterStore implements CounterStore {
    /** How long a call waits for a store that is still opening. */
    public static final Duration DEFAULT_WAIT = Duration.ofMillis(200);
    /** How long the opener waits between attempts after a failure. */
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(2);

    /** Opens the real store; may throw, and is then called again after the retry delay. */
    @FunctionalInterface
    public interface Opener {
        CounterStore open() throws Exception;
    }

    /** Hears how opening goes, on the opener's thread. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void opened(CounterStore store, int attempt) {
        }

        /** An attempt failed; {@code changed} is true when the reason differs from the previous attempt's. */
        default void failed(Throwable why, int attempt, boolean changed) {
        }
    }

    private final CompletableFuture<CounterStore> opened = new CompletableFuture<>();
    /** Done after the first attempt, whichever way it went: a call waits for that, not for success. */
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final long waitNanos;
    private final Thread opener;
    private volatile CounterStore ready;
    private volatile String failure;
    private volatile boolean closed;

    public DeferredCounterStore(Opener open, Duration wait, Duration retry, Listener listener) {
        Objects.requireNonNull(open, "open");
        this.waitNanos = wait.toNanos();
        Listener heard = listener == null ? Listener.NONE : listener;
        this.opener = new Thread(() -> openLoop(open, retry.toMillis(), heard), "policylayer-counters-open");
        opener.setDaemon(true);
        opener.setContextClassLoader(DeferredCounterStore.class.getClassLoader()); // whatever thread created it
        opener.start();
    }

    /** A store that is already being opened elsewhere; calls wait for it at most {@code wait}. */
    public DeferredCounterStore(CompletableFuture<? extends CounterStore> opening, Duration wait) {
        this(() -> {
            try {
                return opening.get();
            } catch (ExecutionException failed) {
                throw failed.getCause() instanceof Exception e ? e : failed;
            }
        }, wait, Duration.ofDays(365), Listener.NONE);
    }

    private void openLoop(Opener open, long retryMillis, Listener listener) {
        String previous = null;
        for (int attempt = 1; !closed; attempt++) {
            try {
                CounterStore store = Objects.requireNonNull(open.open(), "the opener supplied no store");
                if (closed) {
                    store.close();
                    return;
                }
                ready = store;
                failure = null;
                opened.complete(store);
                firstAttempt.complete(null);
                listener.opened(store, attempt);
                return;
            } catch (Throwable why) {
                String reason = why.getMessage() != null ? why.getMessage() : why.toString();
                failure = "the counter store cannot open: " + reason + " (still trying)";
                firstAttempt.complete(null);
                listener.failed(why, attempt, !reason.equals(previous));
                previous = reason;
            }
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    @Override
    public Admission reserve(CounterBatch batch) {
        CounterStore store = await();
        return store != null ? store.reserve(batch) : Admission.failed(0, whyUnavailable());
    }

    @Override
    public CompletionStage<Admission> reserveAsync(CounterBatch batch) {
        CounterStore store = ready;
        if (store != null) {
            return store.reserveAsync(batch);
        }
        if (closed || failure != null) {
            return CompletableFuture.completedFuture(Admission.failed(0, whyUnavailable()));
        }
        return firstAttempt.thenApply(attempted -> ready)
                .completeOnTimeout(null, waitNanos, TimeUnit.NANOSECONDS)
                .thenCompose(open -> open == null || closed
                        ? CompletableFuture.completedFuture(Admission.failed(0, whyUnavailable()))
                        : open.reserveAsync(batch));
    }

    @Override
    public boolean remote() {
        CounterStore store = ready;
        return store != null && store.remote();
    }

    @Override
    public void release(CounterBatch batch) {
        CounterStore store = ready; // a batch was granted only by an open store
        if (store != null && !closed) {
            store.release(batch);
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
        return ready != null;
    }

    /** The store once open, else null. */
    public CounterStore openStore() {
        return ready;
    }

    @Override
    public void close() {
        closed = true;
        opener.interrupt();
        CounterStore store = ready;
        if (store != null) {
            store.close();
        }
    }

    private CounterStore await() {
        CounterStore store = ready;
        if (store != null || closed || failure != null) {
            return closed ? null : store;
        }
        try {
            firstAttempt.get(waitNanos, TimeUnit.NANOSECONDS);
            return closed ? null : ready;
        } catch (TimeoutException | ExecutionException notYet) {
            return null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String whyUnavailable() {
        if (closed) {
            return "the counter store is closed";
        }
        String why = failure;
        return why != null ? why : "the counter store is not open yet after waiting " + waitNanos / 1_000_000
                + " ms (still opening)";
    }

    @Override
    public String toString() {
        CounterStore store = ready;
        return store != null ? store.toString() : "counter store (opening)";
    }
}
