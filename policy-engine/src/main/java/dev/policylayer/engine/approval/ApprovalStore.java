package dev.policylayer.engine.approval;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Approvals of exact calls: what the engine asks when a call needs one ({@link #decide}), and what an operator
 * does ({@link #approve}, {@link #deny}). Every operation is atomic in its storage, and what happened is told to
 * the listener after the storage's lock is released.
 */
public final class ApprovalStore implements AutoCloseable {
    private final ApprovalStorage storage;
    private final Clock clock;
    private volatile Consumer<ApprovalEvent> listener = event -> { };

    public ApprovalStore(ApprovalStorage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    private static final java.util.concurrent.ThreadPoolExecutor WORKERS = new java.util.concurrent.ThreadPoolExecutor(
            4, 4, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            task -> {
                Thread thread = new Thread(task, "policylayer-approvals");
                thread.setDaemon(true);
                return thread;
            });

    static {
        WORKERS.allowCoreThreadTimeOut(true);
    }

    /**
     * Where decisions that wait on a remote store run, so that no event loop waits for one (approvals are rare:
     * a few threads are plenty).
     */
    public static java.util.concurrent.Executor executor() {
        return WORKERS;
    }

    public static ApprovalStore inMemory() {
        return new ApprovalStore(new MemoryApprovalStorage(), Clock.systemUTC());
    }

    /** Hears every event (the agent's audit and webhook). */
    public void listen(Consumer<ApprovalEvent> heard) {
        listener = heard;
    }

    public boolean remote() {
        return storage.remote();
    }

    public String describe() {
        return storage.describe();
    }

    /** The call {@code key} needs approval: one use taken, or pending (asked for if new), or denied. */
    public Outcome decide(ApprovalKey key, ApprovalSpec spec, List<String> argumentKeys)
            throws ApprovalStoreException {
        return run(book -> book.decide(key, spec, argumentKeys, clock.instant()));
    }

    /** A use taken for a call that then did not run is given back. */
    public void giveBack(String id) throws ApprovalStoreException {
        run(book -> {
            book.giveBack(id);
            return null;
        });
    }

    public Approval approve(String id, int uses, Duration validFor, String by) throws ApprovalStoreException {
        return run(book -> book.approve(id, uses, validFor, by, clock.instant()));
    }

    public Approval deny(String id, String reason, String by) throws ApprovalStoreException {
        return run(book -> book.deny(id, reason, by, clock.instant()));
    }

    public Optional<Approval> get(String id) throws ApprovalStoreException {
        return Optional.ofNullable(run(book -> book.get(id)));
    }

    /** Every approval kept (a week past expiry), oldest first. */
    public List<Approval> list() throws ApprovalStoreException {
        return run(book -> List.copyOf(book.all()));
    }

    public java.time.Instant now() {
        return clock.instant();
    }

    private <T> T run(ApprovalStorage.Change<T> change) throws ApprovalStoreException {
        java.util.concurrent.atomic.AtomicReference<List<ApprovalEvent>> happened =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        T result = storage.locked(book -> {
            T value = change.apply(book);
            happened.set(List.copyOf(book.events()));
            return value;
        });
        Consumer<ApprovalEvent> heard = listener;
        for (ApprovalEvent event : happened.get()) {
            try {
                heard.accept(event);
            } catch (RuntimeException ignored) {
                // a listener's failure (an audit queue full) never undoes or fails the operation
            }
        }
        return result;
    }

    @Override
    public void close() {
        storage.close();
    }
}
