package dev.policylayer.engine.counter;

/**
 * Hands out the granted {@link Acquisition} for a bucket, reusing the last one while the bucket stays
 * the same, so the hot path allocates nothing (records are immutable: sharing one is safe, and a
 * racing thread at worst makes an extra one).
 */
final class Grants {
    private Acquisition last;

    Acquisition of(long epoch) {
        Acquisition grant = last;
        if (grant == null || grant.ticket() != epoch) {
            grant = Acquisition.granted(epoch);
            last = grant;
        }
        return grant;
    }
}
