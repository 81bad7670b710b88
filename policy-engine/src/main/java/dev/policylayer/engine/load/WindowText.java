package dev.policylayer.engine.load;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes limit windows: {@code minute}, {@code 60}, {@code "90s"}, {@code "15m"}, {@code "24h"}. */
public final class WindowText {
    static final String EXPECTED = "expected one of second, minute, hour, day, a number of seconds,"
            + " or a duration like 90s, 15m, 24h, 7d";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*([smhd])");
    private static final long SECOND = 1000;

    private WindowText() {
    }

    /** The window in milliseconds, or -1 when {@code value} is not a window. */
    static long millis(Object value) {
        if (value instanceof BigDecimal seconds) {
            return wholeSeconds(seconds);
        }
        if (!(value instanceof String text)) {
            return -1;
        }
        String word = text.trim().toLowerCase(Locale.ROOT);
        switch (word) {
            case "second":
                return SECOND;
            case "minute":
                return 60 * SECOND;
            case "hour":
                return 3600 * SECOND;
            case "day":
                return 86400 * SECOND;
            default:
                break;
        }
        if (!word.isEmpty() && word.chars().allMatch(Character::isDigit) && word.length() <= 9) {
            return Long.parseLong(word) * SECOND;
        }
        Matcher m = DURATION.matcher(word);
        if (!m.matches()) {
            return -1;
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "s" -> SECOND;
            case "m" -> 60 * SECOND;
            case "h" -> 3600 * SECOND;
            default -> 86400 * SECOND;
        };
        return amount * unit;
    }

    private static long wholeSeconds(BigDecimal seconds) {
        try {
            long whole = seconds.stripTrailingZeros().longValueExact();
            return whole > 0 && whole <= 999_999_999L ? whole * SECOND : (whole <= 0 ? 0 : -1);
        } catch (ArithmeticException fractional) {
            return -1;
        }
    }

    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

    /**
     * A setting's duration: {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}, {@code 7d}, or a bare number of
     * milliseconds;
     * null when the text is none of these.
     */
    public static java.time.Duration duration(String text) {
        Matcher m = TIMEOUT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> java.time.Duration.ofMillis(amount);
            case "s" -> java.time.Duration.ofSeconds(amount);
            case "m" -> java.time.Duration.ofMinutes(amount);
            case "h" -> java.time.Duration.ofHours(amount);
            default -> java.time.Duration.ofDays(amount);
        };
    }

    /** {@code 60s}, {@code 1h}, {@code 1d}: the largest whole unit. */
    public static String format(long millis) {
        long seconds = millis / SECOND;
        if (seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds + "s";
    }
}
