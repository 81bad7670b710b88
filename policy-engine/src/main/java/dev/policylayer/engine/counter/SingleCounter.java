package dev.policylayer.engine.counter;

/** A batch of one counter, for callers that count one key at a time (the CLI, tests). */
final class SingleCounter implements CounterBatch {
    private final String key;
    private final CounterSpec spec;
    private final long amount;
    private long ticket;

    SingleCounter(String key, CounterSpec spec, long amount, long ticket) {
        this.key = key;
        this.spec = spec;
        this.amount = amount;
        this.ticket = ticket;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public String key(int i) {
        return key;
    }

    @Override
    public CounterSpec spec(int i) {
        return spec;
    }

    @Override
    public long amount(int i) {
        return amount;
    }

    @Override
    public long ticket(int i) {
        return ticket;
    }

    @Override
    public void ticket(int i, long value) {
        ticket = value;
    }
}
