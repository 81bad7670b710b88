package dev.policylayer.engine.decision;

import dev.policylayer.engine.counter.CounterBatch;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.policy.Limit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The limits of one call: first the batch the store reserves in one step, then the quota the allowed call holds
 * until it is settled, exactly once.
 */
final class HeldReservation implements CounterBatch, Reservation {
    private final CounterStore store;
    private final Limit[] limits;
    private final String[] keys;
    private final long[] amounts;
    private final long[] tickets;
    private int size;
    private final AtomicBoolean settled = new AtomicBoolean();

    HeldReservation(CounterStore store, int capacity) {
        this.store = store;
        this.limits = new Limit[capacity];
        this.keys = new String[capacity];
        this.amounts = new long[capacity];
        this.tickets = new long[capacity];
    }

    void add(Limit limit, String key, long amount) {
        limits[size] = limit;
        keys[size] = key;
        amounts[size] = amount;
        size++;
    }

    Limit limit(int i) {
        return limits[i];
    }

    /** Drops entry {@code i} (a limit fail-open lets through uncounted), keeping the others in order. */
    void remove(int i) {
        int after = size - i - 1;
        System.arraycopy(limits, i + 1, limits, i, after);
        System.arraycopy(keys, i + 1, keys, i, after);
        System.arraycopy(amounts, i + 1, amounts, i, after);
        size--;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String key(int i) {
        return keys[i];
    }

    @Override
    public CounterSpec spec(int i) {
        return limits[i].spec();
    }

    @Override
    public long amount(int i) {
        return amounts[i];
    }

    @Override
    public long ticket(int i) {
        return tickets[i];
    }

    @Override
    public void ticket(int i, long ticket) {
        tickets[i] = ticket;
    }

    @Override
    public void commit() {
        settled.set(true);
    }

    @Override
    public void refund() {
        if (settled.compareAndSet(false, true)) {
            store.release(this);
        }
    }

    @Override
    public void refundErrorResult() {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        boolean all = true;
        for (int i = 0; i < size; i++) {
            all &= limits[i].refundOnError();
        }
        if (all) {
            store.release(this);
            return;
        }
        // Only the limits that refund on error give back: a batch of those.
        HeldReservation some = new HeldReservation(store, size);
        for (int i = 0; i < size; i++) {
            if (limits[i].refundOnError()) {
                some.add(limits[i], keys[i], amounts[i]);
                some.tickets[some.size - 1] = tickets[i];
            }
        }
        if (some.size > 0) {
            store.release(some);
        }
    }
}
