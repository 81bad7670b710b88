package dev.policylayer.engine.predicate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Compact JSON text of a policy value, for messages. Only ever given policy values, never arguments. */
public final class JsonText {
    private static final int MAX = 120;

    private JsonText() {
    }

    public static String of(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.length() > MAX ? out.substring(0, MAX - 3) + "..." : out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (out.length() > MAX) {
            return;
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (value instanceof BigDecimal number) {
            out.append(number.toPlainString().length() > 30 ? number.toString() : number.toPlainString());
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                append(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ", ");
                first = false;
                append(out, String.valueOf(entry.getKey()));
                out.append(": ");
                append(out, entry.getValue());
            }
            out.append('}');
        } else {
            out.append(value);
        }
    }
}
