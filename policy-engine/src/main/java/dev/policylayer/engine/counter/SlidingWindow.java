package dev.policylayer.engine.counter;

import java.time.Clock;

/**
 * The sliding-window counter on one block's ring of {@link CounterBlock#RING} cells.
 *
 * <p>The window is cut into {@link CounterBlock#BUCKETS} buckets of {@code ceil(window / BUCKETS)} ms;
 * bucket {@code e} covers [e*b, (e+1)*b) and lives in ring slot {@code e mod RING}. At time t the window
 * holds every bucket from {@code epoch(t - window)} to {@code epoch(t)}: whole buckets, so the counted
 * span is at least {@code window} long and never more than {@code max} pass in ANY interval of that
 * length (it may refuse up to one bucket early; it never admits late).
 *
 * <p>Admission is add-then-check, the only way to test a sum of several cells without a lock: read the
 * clock (t1), add the amount to the current bucket, sum the window, read the clock again (t2). Granted
 * only when the sum fits and t1 and t2 fall in the same bucket. Why the second reading: a caller that
 * was descheduled between reading the clock and adding could otherwise add into a bucket that others
 * already treat as expired. With both readings in bucket e, every earlier-added admission within a
 * window of this one is visible in the sum (its bucket is at most e and at least e - BUCKETS, and its
 * slot can only have been recycled by a caller whose clock read a later bucket than e + BUCKETS, before
 * our t2 - impossible). Of any set of admissions within one window, the last one to add saw all the
 * others, so the set holds at most max.
 *
 * <p>When the sum is over, the amount is taken back; because a contender's tentative add may be what
 * pushed it over, the window is summed again without ours and the call retries if it now fits. So no
 * admission that fits is lost to a contender that is itself refused (retries are bounded; under
 * extreme contention a call is refused rather than spinning forever).
 */
final class SlidingWindow {
    private static final int ATTEMPTS = 64;
    /** How far ahead (in buckets) another caller's clock may be before its slot tag is taken as stale. */
    private static final long FUTURE_TOLERANCE = 2L * CounterBlock.RING;

    private SlidingWindow() {
    }

    static long bucketMillis(CounterSpec spec) {
        return (spec.windowMillis() + CounterBlock.BUCKETS - 1) / CounterBlock.BUCKETS;
    }

    static Acquisition acquire(Memory memory, long cells, CounterSpec spec, long amount, Clock clock,
                               Grants grants) {
        long bucket = bucketMillis(spec);
        long max = spec.max();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long t1 = clock.millis();
            long epoch = Math.floorDiv(t1, bucket);
            long oldest = Math.floorDiv(t1 - spec.windowMillis(), bucket);
            long slot = slot(cells, epoch);
            int added = add(memory, slot, epoch, amount);
            if (added == STALE_CLOCK) {
                continue;
            }
            if (added == ADDED) {
                long sum = sum(memory, cells, oldest, epoch);
                long t2 = clock.millis();
                boolean sameBucket = Math.floorDiv(t2, bucket) == epoch;
                if (sameBucket && sum <= max) {
                    return grants.of(epoch);
                }
                subtract(memory, slot, epoch, amount);
                if (!sameBucket) {
                    continue;
                }
            }
            long others = sum(memory, cells, oldest, epoch);
            if (others + amount > max) {
                return Acquisition.refused(retryAfter(memory, cells, spec, amount, clock.millis()));
            }
            backOff(attempt);
        }
        // Contention beyond reason: refuse, and suggest trying again at once.
        return Acquisition.refused(1);
    }

    static void release(Memory memory, long cells, CounterSpec spec, long amount, long ticket, Clock clock) {
        long oldest = Math.floorDiv(clock.millis() - spec.windowMillis(), bucketMillis(spec));
        if (ticket < oldest) {
            return; // that bucket has left the window: giving back would change nothing that counts
        }
        subtract(memory, slot(cells, ticket), ticket, amount);
    }

    static long current(Memory memory, long cells, CounterSpec spec, Clock clock) {
        long now = clock.millis();
        long bucket = bucketMillis(spec);
        return sum(memory, cells, Math.floorDiv(now - spec.windowMillis(), bucket), Math.floorDiv(now, bucket));
    }

    /** True when nothing in the ring counts now or could count later: the block may be reclaimed. */
    static boolean idle(Memory memory, long cells, long windowMillis, long now) {
        long bucket = (windowMillis + CounterBlock.BUCKETS - 1) / CounterBlock.BUCKETS;
        long epoch = Math.floorDiv(now, bucket);
        for (int i = 0; i < CounterBlock.RING; i++) {
            long cell = memory.read(cells + (long) i * Long.BYTES);
            long delta = Cell.delta(cell, epoch);
            if (Cell.amount(cell) != 0 && delta >= -CounterBlock.BUCKETS && delta <= CounterBlock.BUCKETS) {
                return false;
            }
        }
        return true;
    }

    private static final int ADDED = 0;
    private static final int STALE_CLOCK = 1;
    private static final int DOES_NOT_FIT = 2;

    private static long slot(long cells, long epoch) {
        return cells + Math.floorMod(epoch, CounterBlock.RING) * (long) Long.BYTES;
    }

    private static int add(Memory memory, long slot, long epoch, long amount) {
        for (int attempt = 0; attempt < CounterBlock.MAX_CAS_ATTEMPTS; attempt++) {
            long cell = memory.read(slot);
            long delta = Cell.delta(cell, epoch);
            if (delta > 0 && delta <= FUTURE_TOLERANCE) {
                return STALE_CLOCK; // a caller with a later clock reading recycled the slot: read the clock again
            }
            long held = delta == 0 ? Cell.amount(cell) : 0; // older tag: the slot's bucket has expired
            long next = held + amount;
            if (next > Cell.AMOUNT_MASK) {
                return DOES_NOT_FIT;
            }
            if (memory.cas(slot, cell, Cell.pack(epoch, next))) {
                return ADDED;
            }
        }
        throw new CounterBlock.CasNeverSucceeds();
    }

    /** Takes back up to {@code amount} from bucket {@code epoch}, if the slot still holds that bucket. */
    static void subtract(Memory memory, long slot, long epoch, long amount) {
        // bounded as every swap loop here; a refund that cannot be written is lost, the safe side
        for (int attempt = 0; attempt < CounterBlock.MAX_CAS_ATTEMPTS; attempt++) {
            long cell = memory.read(slot);
            if (Cell.delta(cell, epoch) != 0) {
                return;
            }
            long next = Math.max(0, Cell.amount(cell) - amount);
            if (memory.cas(slot, cell, Cell.pack(epoch, next))) {
                return;
            }
        }
    }

    /**
     * The amount in buckets {@code oldest .. epoch} (oldest = the bucket holding now - window; at most
     * BUCKETS back). Slots tagged a little in the future (another caller's clock is ahead) count too:
     * counting more is the safe side.
     */
    private static long sum(Memory memory, long cells, long oldest, long epoch) {
        long total = 0;
        long back = oldest - epoch;
        for (int i = 0; i < CounterBlock.RING; i++) {
            long cell = memory.read(cells + (long) i * Long.BYTES);
            long delta = Cell.delta(cell, epoch);
            if (delta >= back && delta <= CounterBlock.BUCKETS) {
                total += Cell.amount(cell);
            }
        }
        return total;
    }

    /** Time until enough of the oldest buckets leave the window for {@code amount} to fit (0: never). */
    private static long retryAfter(Memory memory, long cells, CounterSpec spec, long amount, long now) {
        if (amount > spec.max()) {
            return 0;
        }
        long bucket = bucketMillis(spec);
        long epoch = Math.floorDiv(now, bucket);
        long oldest = Math.floorDiv(now - spec.windowMillis(), bucket);
        long excess = sum(memory, cells, oldest, epoch) + amount - spec.max();
        if (excess <= 0) {
            return 1; // fits again already (a contender backed off): try at once
        }
        for (long e = oldest; e <= epoch; e++) {
            long cell = memory.read(slot(cells, e));
            if (Cell.delta(cell, e) == 0) {
                excess -= Cell.amount(cell);
            }
            if (excess <= 0) {
                // bucket e stops counting once epoch(t - window) > e, i.e. at t = (e + 1) * b + window
                return Math.max(1, (e + 1) * bucket + spec.windowMillis() - now);
            }
        }
        // What is left is tagged ahead of our clock; it leaves the window at the latest one window on.
        return Math.max(1, (epoch + 1) * bucket + spec.windowMillis() - now);
    }

    private static void backOff(int attempt) {
        if (attempt < 4) {
            Thread.onSpinWait();
        } else {
            Thread.yield(); // let a descheduled contender finish taking its tentative amount back
        }
    }
}
