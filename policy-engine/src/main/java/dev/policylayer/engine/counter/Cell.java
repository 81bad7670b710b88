package dev.policylayer.engine.counter;

/**
 * One 64-bit counter cell: a 24-bit window tag above a 40-bit amount.
 *
 * <p>Packing limits, and why they are safe:
 * <ul>
 *   <li>Amount: 40 bits hold 0 .. 2^40-1 = {@link CounterUnits#MAX_UNITS} units (about 1.1e9 whole calls
 *       or 1.1e9 currency units at three decimals). A store never writes a larger amount into a cell: an
 *       add that would pass the limit is treated as "does not fit" before the CAS, so the amount can
 *       never carry into the tag.</li>
 *   <li>Tag: the low 24 bits of the cell's epoch (bucket or window number). Two epochs share a tag only
 *       when they are a multiple of 2^24 apart. With the shortest bucket a sliding limit can have
 *       (1 s window / 16 buckets = 63 ms), that is 2^24 x 63 ms, about 12 days per tag cycle, and a ring
 *       slot is only misread when, in addition, its epoch agrees modulo the ring size (17), i.e. after
 *       17 x 2^24 buckets (about 208 days) without the slot being rewritten. A fixed window of 1 s wraps
 *       after 2^24 s (194 days). A misread can only count an old amount as current, so the counter
 *       refuses more, never less (fail-safe), and it heals when the slot is next rewritten.</li>
 * </ul>
 */
final class Cell {
    static final int TAG_BITS = 24;
    static final long TAG_MASK = (1L << TAG_BITS) - 1;
    static final int AMOUNT_BITS = 40;
    static final long AMOUNT_MASK = (1L << AMOUNT_BITS) - 1;

    static {
        // The amount field is exactly what CounterUnits promises a counter can hold.
        if (AMOUNT_MASK != CounterUnits.MAX_UNITS || TAG_BITS + AMOUNT_BITS != Long.SIZE) {
            throw new AssertionError("cell packing out of step with CounterUnits");
        }
    }

    private Cell() {
    }

    static long pack(long epoch, long amount) {
        return ((epoch & TAG_MASK) << AMOUNT_BITS) | amount;
    }

    static long amount(long cell) {
        return cell & AMOUNT_MASK;
    }

    /**
     * How many epochs the cell's tag lies after {@code epoch} (negative: before), read in the 24-bit
     * tag space, so within +-2^23 of the truth (see the class comment for why that is enough).
     */
    static long delta(long cell, long epoch) {
        long diff = (cell >>> AMOUNT_BITS) - (epoch & TAG_MASK);
        return (diff << (Long.SIZE - TAG_BITS)) >> (Long.SIZE - TAG_BITS);
    }
}
