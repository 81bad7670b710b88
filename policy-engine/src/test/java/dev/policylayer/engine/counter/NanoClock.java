package dev.policylayer.engine.counter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A real, monotonic clock in milliseconds: the store and the test read the very same time source. */
final class NanoClock extends Clock {
    private final long originNanos = System.nanoTime();
    private final long originMillis = System.currentTimeMillis();

    @Override
    public long millis() {
        return originMillis + (System.nanoTime() - originNanos) / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
