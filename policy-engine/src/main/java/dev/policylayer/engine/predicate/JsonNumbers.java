package dev.policylayer.engine.predicate;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reads a JSON value as an exact decimal the way tool handlers coerce it: any Java number, or a string that
 * spells a number ({@code "50000"}, {@code "1e3"}). Anything else, and non-finite doubles, is not a number.
 */
public final class JsonNumbers {
    /** Longer numeric strings are refused: parsing them costs more than any real argument is worth. */
    static final int MAX_NUMERIC_STRING = 400;

    private JsonNumbers() {
    }

    /** The exact value, or null when {@code value} is not a number. */
    public static BigDecimal toDecimal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // The shortest decimal that reads back as this double: what the JSON text said.
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
        }
        if (value instanceof String text) {
            return parse(text);
        }
        return null;
    }

    private static BigDecimal parse(String text) {
        if (text.isEmpty() || text.length() > MAX_NUMERIC_STRING) {
            return null;
        }
        char first = text.charAt(0);
        if (!(first == '-' || first == '+' || first == '.' || Character.isDigit(first))) {
            return null; // BigDecimal would also refuse, but without building an exception first
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
