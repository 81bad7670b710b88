package dev.policylayer.engine.counter;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Counters hold exact decimals as whole numbers of thousandths, so that a budget such as
 * {@code 50000.25} is counted without floating point. A finer fraction is rounded up: a budget can
 * never be overspent by rounding.
 */
public final class CounterUnits {
    /** Decimal places kept. */
    public static final int SCALE = 3;
    /** The largest amount a counter can hold, in units (40 bits: the rest of the cell is its window tag). */
    public static final long MAX_UNITS = (1L << 40) - 1;
    /** Digits before the point of the largest amount, {@code MAX_UNITS} thousandths (1 099 511 627.775). */
    private static final int MAX_INTEGER_DIGITS = 10;

    private CounterUnits() {
    }

    /** Units for a decimal amount, rounded up; throws ArithmeticException when it does not fit. */
    public static long of(BigDecimal amount) {
        // Decided from the exponent before rescaling: setScale on a dozen characters of argument such as
        // "1e99999999" or "1e-99999999" builds a power of ten of a hundred million digits, which stalls the
        // call for minutes.
        long integerDigits = (long) amount.precision() - amount.scale();
        if (amount.signum() != 0 && integerDigits > MAX_INTEGER_DIGITS) {
            throw new ArithmeticException("an amount of " + integerDigits + " digits is more than a counter can hold ("
                    + toDecimal(MAX_UNITS).toPlainString() + ")");
        }
        if (amount.signum() != 0 && integerDigits < -SCALE) {
            return amount.signum() > 0 ? 1 : 0; // below a thousandth: rounds up to one unit, or to zero
        }
        BigDecimal scaled = amount.setScale(SCALE, RoundingMode.CEILING).movePointRight(SCALE);
        long units = scaled.longValueExact();
        if (units > MAX_UNITS) {
            throw new ArithmeticException(amount.toPlainString() + " is more than a counter can hold ("
                    + toDecimal(MAX_UNITS).toPlainString() + ")");
        }
        return units;
    }

    /** One call's worth: the default increment. */
    public static long one() {
        return of(BigDecimal.ONE);
    }

    public static BigDecimal toDecimal(long units) {
        return BigDecimal.valueOf(units, SCALE).stripTrailingZeros();
    }
}
