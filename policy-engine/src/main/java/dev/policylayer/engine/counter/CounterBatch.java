package dev.policylayer.engine.counter;

/**
 * The limits one call counts against, handed to a {@link CounterStore} at once so that it can reserve them
 * all or none in one step (one lock-free pass in this JVM, one round trip to a remote store). Owned by the
 * engine, one per call; the store writes each entry's ticket back into it.
 */
public interface CounterBatch {
    int size();

    /** The full counter key of entry {@code i} (counter name and scope identity), any characters. */
    String key(int i);

    CounterSpec spec(int i);

    /** Units entry {@code i} adds, greater than zero. */
    long amount(int i);

    /** What the store needs to give entry {@code i} back ({@link CounterStore#release}); opaque to callers. */
    long ticket(int i);

    void ticket(int i, long ticket);
}
