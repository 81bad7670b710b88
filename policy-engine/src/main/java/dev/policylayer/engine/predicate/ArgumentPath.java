package dev.policylayer.engine.predicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A path into a call's arguments such as {@code args.customer.address[0].country}: dots walk objects,
 * {@code [n]} indexes arrays. Parsed once at load; resolving allocates nothing when the path is found.
 */
public final class ArgumentPath {
    private static final String ROOT = "args.";
    private static final Object MISSING = new Object();

    /** Object keys are Strings; array indexes are Integers. */
    private final Object[] steps;
    private final String text;

    private ArgumentPath(Object[] steps, String text) {
        this.steps = steps;
        this.text = text;
    }

    /**
     * Parses {@code args.a.b[2]}.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    public static ArgumentPath parse(String text) {
        if (text == null || !text.startsWith(ROOT) || text.length() == ROOT.length()) {
            throw new IllegalArgumentException("expected a path starting with \"args.\" such as \"args.amount\"");
        }
        List<Object> steps = new ArrayList<>();
        String rest = text.substring(ROOT.length());
        int i = 0;
        boolean expectKey = true;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '[') {
                int close = rest.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed \"[\" in \"" + text + "\"");
                }
                String digits = rest.substring(i + 1, close);
                if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
                    throw new IllegalArgumentException("array index must be a whole number, got \"[" + digits
                            + "]\" in \"" + text + "\"");
                }
                if (expectKey) {
                    throw new IllegalArgumentException("\"[" + digits + "]\" must follow a name in \"" + text + "\"");
                }
                steps.add(Integer.parseInt(digits));
                i = close + 1;
            } else if (c == '.') {
                if (expectKey) {
                    throw new IllegalArgumentException("empty name between dots in \"" + text + "\"");
                }
                expectKey = true;
                i++;
            } else {
                if (!expectKey) {
                    throw new IllegalArgumentException("expected \".\" or \"[\" at \"" + rest.substring(i)
                            + "\" in \"" + text + "\"");
                }
                int end = i;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                steps.add(rest.substring(i, end));
                expectKey = false;
                i = end;
            }
        }
        if (expectKey) {
            throw new IllegalArgumentException("path \"" + text + "\" ends with \".\"");
        }
        return new ArgumentPath(steps.toArray(), text);
    }

    /** The value at this path, or {@link #isMissing missing}. JSON null is a value (present). */
    public Object resolve(Map<String, ?> arguments) {
        Object current = arguments;
        for (Object step : steps) {
            if (step instanceof String key) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                    return MISSING;
                }
                current = map.get(key);
            } else {
                int index = (Integer) step;
                if (!(current instanceof List<?> list) || index >= list.size()) {
                    return MISSING;
                }
                current = list.get(index);
            }
        }
        return current;
    }

    public static boolean isMissing(Object resolved) {
        return resolved == MISSING;
    }

    @Override
    public String toString() {
        return text;
    }
}
