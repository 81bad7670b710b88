package dev.policylayer.engine.load;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of the policy document with where it was written, so every problem can name its line and column.
 * Objects keep their key order; numbers are exact decimals.
 *
 * @param value    a {@code Map<String, Node>}, {@code List<Node>}, String, BigDecimal, Boolean or null
 * @param location     {@code line 3, column 7}, or the property a value came from
 * @param keyLocations for an object, where each key was written
 */
record Node(Object value, String location, Map<String, String> keyLocations) {

    Node(Object value, String location) {
        this(value, location, Map.of());
    }

    /** Where the key {@code name} of this object was written (its value's location if unknown). */
    String keyLocation(String name) {
        String at = keyLocations.get(name);
        return at != null ? at : fields().get(name).location();
    }

    boolean isObject() {
        return value instanceof Map;
    }

    @SuppressWarnings("unchecked")
    Map<String, Node> fields() {
        return (Map<String, Node>) value;
    }

    @SuppressWarnings("unchecked")
    List<Node> elements() {
        return (List<Node>) value;
    }

    /** What kind of JSON value this is, for "expected X, got Y" messages. */
    String kind() {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof BigDecimal) {
            return "a number";
        }
        return "a boolean";
    }

    /** The plain JSON value (maps, lists, scalars) without locations, for predicates. */
    Object plain() {
        if (value instanceof Map) {
            Map<String, Object> map = new LinkedHashMap<>();
            fields().forEach((k, v) -> map.put(k, v.plain()));
            return map;
        }
        if (value instanceof List) {
            return elements().stream().map(Node::plain).toList();
        }
        return value;
    }

    /** Canonical text (keys sorted), for the policy hash. */
    void appendCanonical(StringBuilder out) {
        if (value instanceof Map) {
            out.append('{');
            fields().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                out.append('"').append(e.getKey()).append("\":");
                e.getValue().appendCanonical(out);
                out.append(',');
            });
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            elements().forEach(e -> {
                e.appendCanonical(out);
                out.append(',');
            });
            out.append(']');
        } else if (value instanceof String text) {
            out.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (value instanceof BigDecimal number) {
            out.append(number.stripTrailingZeros().toString());
        } else {
            out.append(value);
        }
    }
}
