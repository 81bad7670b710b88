package dev.policylayer.engine.approval;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of a call's arguments as canonical JSON: object keys sorted, no spaces, numbers by value
 * ({@code 1}, {@code 1.0} and {@code 1e0} are one number), strings escaped one way. Two calls with the same
 * fingerprint hand the tool the same arguments.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    public static String of(Map<String, ?> arguments) {
        StringBuilder canonical = new StringBuilder();
        write(arguments, canonical);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toString()
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number number) {
            out.append(number(number));
        } else {
            string(value.toString(), out);
        }
    }

    private static String number(Number number) {
        try {
            BigDecimal exact = number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
            // the stripped form is one text per value, and never expands an exponent (1e999999999 stays short)
            return exact.signum() == 0 ? "0" : exact.stripTrailingZeros().toString();
        } catch (NumberFormatException notFinite) {
            return "\"" + number + "\""; // NaN, Infinity: not JSON numbers, kept apart from every real one
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
