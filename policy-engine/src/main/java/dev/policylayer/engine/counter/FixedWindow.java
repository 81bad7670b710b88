package dev.policylayer.engine.counter;

import java.time.Clock;

/**
 * The fixed-window counter: calendar-aligned UTC windows (window number = floor(epochMillis / window)),
 * one cell. A single cell can be checked and updated in one CAS, so admission is exact: never more than
 * {@code max} inside one calendar window. By design, up to 2 x max can pass across a boundary (max at the
 * end of one window, max at the start of the next); that is the algorithm, chosen by the policy.
 */
final class FixedWindow {
    private static final int ATTEMPTS = 1024;

    private FixedWindow() {
    }

    static Acquisition acquire(Memory memory, long cells, CounterSpec spec, long amount, Clock clock,
                               Grants grants) {
        long window = spec.windowMillis();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = clock.millis();
            long epoch = Math.floorDiv(now, window);
            long cell = memory.read(cells);
            long delta = Cell.delta(cell, epoch);
            if (delta > 0 && delta <= 2) {
                continue; // another caller's clock is already in the next window: read ours again
            }
            long held = delta == 0 ? Cell.amount(cell) : 0;
            long limit = Math.min(spec.max(), Cell.AMOUNT_MASK); // a cell holds 40 bits
            if (held + amount > limit) {
                return Acquisition.refused(amount > limit ? 0 : (epoch + 1) * window - now);
            }
            if (memory.cas(cells, cell, Cell.pack(epoch, held + amount))) {
                return grants.of(epoch);
            }
        }
        return Acquisition.refused(1);
    }

    static void release(Memory memory, long cells, CounterSpec spec, long amount, long ticket, Clock clock) {
        if (ticket != Math.floorDiv(clock.millis(), spec.windowMillis())) {
            return; // the window it was counted in is over
        }
        SlidingWindow.subtract(memory, cells, ticket, amount);
    }

    static long current(Memory memory, long cells, CounterSpec spec, Clock clock) {
        long cell = memory.read(cells);
        return Cell.delta(cell, Math.floorDiv(clock.millis(), spec.windowMillis())) == 0 ? Cell.amount(cell) : 0;
    }

    static boolean idle(Memory memory, long cells, long windowMillis, long now) {
        long cell = memory.read(cells);
        long delta = Cell.delta(cell, Math.floorDiv(now, windowMillis));
        return Cell.amount(cell) == 0 || delta < 0 || delta > 2;
    }
}
