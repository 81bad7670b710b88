package dev.policylayer.engine.decision;

import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.policy.Limit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The quota one allowed call holds across its limits; settled exactly once. */
final class HeldReservation implements Reservation {
    private final CounterStore store;
    private final Limit[] limits;
    private final String[] keys;
    private final long[] amounts;
    private final long[] tickets;
    private int held;
    private final AtomicBoolean settled = new AtomicBoolean();

    HeldReservation(CounterStore store, int capacity) {
        this.store = store;
        this.limits = new Limit[capacity];
        this.keys = new String[capacity];
        this.amounts = new long[capacity];
        this.tickets = new long[capacity];
    }

    void hold(Limit limit, String key, long amount, long ticket) {
        limits[held] = limit;
        keys[held] = key;
        amounts[held] = amount;
        tickets[held] = ticket;
        held++;
    }

    @Override
    public void commit() {
        settled.set(true);
    }

    @Override
    public void refund() {
        if (settled.compareAndSet(false, true)) {
            for (int i = 0; i < held; i++) {
                store.release(keys[i], limits[i].spec(), amounts[i], tickets[i]);
            }
        }
    }

    @Override
    public void refundErrorResult() {
        if (settled.compareAndSet(false, true)) {
            for (int i = 0; i < held; i++) {
                if (limits[i].refundOnError()) {
                    store.release(keys[i], limits[i].spec(), amounts[i], tickets[i]);
                }
            }
        }
    }
}
