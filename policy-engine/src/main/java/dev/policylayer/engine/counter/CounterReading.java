package dev.policylayer.engine.counter;

import java.math.BigDecimal;

/**
 * One counter as read from a shared counter file.
 *
 * @param counter      the limit's counter name
 * @param scope        {@code global}, {@code grant}, {@code session} or {@code tool}
 * @param whose        the grant, session or tool it counts for (empty for global)
 * @param algorithm    sliding or fixed
 * @param windowMillis the window length
 * @param inWindow     what counts now (calls, or the summed {@code increment_from} amounts)
 */
public record CounterReading(String counter, String scope, String whose, Algorithm algorithm, long windowMillis,
                             BigDecimal inWindow) {
}
