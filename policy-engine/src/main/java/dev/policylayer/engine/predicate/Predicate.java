package dev.policylayer.engine.predicate;

import dev.policylayer.engine.spelling.Suggestions;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled {@code {"path", "op", "value"}} condition. Compiled once at load (regexes included); testing it
 * reads the call's arguments and never throws.
 */
public final class Predicate {
    private final ArgumentPath path;
    private final Operator op;
    /** The rule's value as a plain JSON value (numbers as BigDecimal). */
    private final Object value;
    /** The rule's value as a number, for ordering operators and numeric equality; else null. */
    private final BigDecimal number;
    private final BoundedRegex regex;
    private final long length;

    private Predicate(ArgumentPath path, Operator op, Object value, BigDecimal number, BoundedRegex regex,
                      long length) {
        this.path = path;
        this.op = op;
        this.value = value;
        this.number = number;
        this.regex = regex;
        this.length = length;
    }

    /**
     * Compiles a predicate.
     *
     * @param value a plain JSON value: String, BigDecimal (every number), Boolean, List, Map or null
     */
    public static Predicate compile(String path, String op, Object value) throws InvalidPredicateException {
        ArgumentPath argumentPath;
        try {
            argumentPath = ArgumentPath.parse(path);
        } catch (IllegalArgumentException malformed) {
            throw new InvalidPredicateException("path", malformed.getMessage(), null);
        }
        Operator operator = Operator.byWireName(op).orElseThrow(() -> new InvalidPredicateException("op",
                "unknown operator \"" + op + "\"; expected one of " + operatorNames(),
                Suggestions.nearest(op, operatorNames()).map(s -> "did you mean \"" + s + "\"?").orElse(null)));
        return switch (operator) {
            case EQ, NEQ -> new Predicate(argumentPath, operator, value, JsonNumbers.toDecimal(value), null, 0);
            case IN, NOT_IN -> {
                if (!(value instanceof List<?>)) {
                    throw wrongValue(operator, "an array of values");
                }
                yield new Predicate(argumentPath, operator, value, null, null, 0);
            }
            case LT, LTE, GT, GTE -> {
                BigDecimal n = value instanceof Boolean ? null : JsonNumbers.toDecimal(value);
                if (n == null) {
                    throw wrongValue(operator, "a number");
                }
                yield new Predicate(argumentPath, operator, n, n, null, 0);
            }
            case REGEX -> {
                if (!(value instanceof String source)) {
                    throw wrongValue(operator, "a regular expression as a string");
                }
                try {
                    yield new Predicate(argumentPath, operator, value, null,
                            new BoundedRegex(Pattern.compile(source)), 0);
                } catch (PatternSyntaxException invalid) {
                    throw new InvalidPredicateException("value", "invalid regex: "
                            + invalid.getDescription() + " near index " + invalid.getIndex(), null);
                }
            }
            case CONTAINS -> {
                if (value instanceof Map<?, ?>) {
                    throw wrongValue(operator, "a string or a single value to find in an array");
                }
                yield new Predicate(argumentPath, operator, value, null, null, 0);
            }
            case STARTS_WITH, ENDS_WITH -> {
                if (!(value instanceof String)) {
                    throw wrongValue(operator, "a string");
                }
                yield new Predicate(argumentPath, operator, value, null, null, 0);
            }
            case LEN_GT, LEN_LTE -> {
                BigDecimal n = value instanceof BigDecimal d ? d : null;
                if (n == null || n.signum() < 0 || n.stripTrailingZeros().scale() > 0
                        || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                    throw wrongValue(operator, "a whole number, 0 or more");
                }
                yield new Predicate(argumentPath, operator, value, n, null, n.longValueExact());
            }
            case EXISTS -> {
                if (!(value instanceof Boolean)) {
                    throw wrongValue(operator, "true or false");
                }
                yield new Predicate(argumentPath, operator, value, null, null, 0);
            }
        };
    }

    /** Tests the call's arguments; never throws. */
    public Result test(Map<String, ?> arguments) {
        Object actual = path.resolve(arguments);
        if (ArgumentPath.isMissing(actual)) {
            return op == Operator.EXISTS && !((Boolean) value) ? Result.HOLDS : Result.MISSING;
        }
        return switch (op) {
            case EXISTS -> (Boolean) value ? Result.HOLDS : Result.DOES_NOT_HOLD;
            case EQ -> holds(JsonEquality.equal(actual, value, number));
            case NEQ -> holds(!JsonEquality.equal(actual, value, number));
            case IN -> holds(containsEqual((List<?>) value, actual));
            case NOT_IN -> holds(!containsEqual((List<?>) value, actual));
            case LT, LTE, GT, GTE -> compareOrdered(actual);
            case REGEX -> actual instanceof String text ? switch (regex.match(text)) {
                case MATCHES -> Result.HOLDS;
                case DOES_NOT_MATCH -> Result.DOES_NOT_HOLD;
                case TOO_COSTLY -> Result.INCOMPARABLE;
            } : Result.INCOMPARABLE;
            case CONTAINS -> contains(actual);
            case STARTS_WITH -> actual instanceof String text ? holds(text.startsWith((String) value))
                    : Result.INCOMPARABLE;
            case ENDS_WITH -> actual instanceof String text ? holds(text.endsWith((String) value))
                    : Result.INCOMPARABLE;
            case LEN_GT, LEN_LTE -> {
                long size = sizeOf(actual);
                if (size < 0) {
                    yield Result.INCOMPARABLE;
                }
                yield holds(op == Operator.LEN_GT ? size > length : size <= length);
            }
        };
    }

    /**
     * Why {@link #test} gave {@code result}, for the message the model reads. Names the path, the operator and
     * the rule's value, never the argument's value.
     */
    public String explain(Result result) {
        String rule = describe();
        return switch (result) {
            case HOLDS -> rule + " holds";
            case DOES_NOT_HOLD -> rule + " does not hold";
            case MISSING -> path + " is missing (" + rule + ")";
            case INCOMPARABLE -> op == Operator.REGEX
                    ? path + " could not be checked against the regex (not a string, or the check exceeded"
                    + " its time bound)"
                    : path + " cannot be compared with " + op.wireName() + " (" + expectedKind() + ")";
        };
    }

    /** {@code args.amount gt 10000}. */
    public String describe() {
        return path + " " + op.wireName() + " " + JsonText.of(value);
    }

    public ArgumentPath path() {
        return path;
    }

    public Operator op() {
        return op;
    }

    private String expectedKind() {
        return switch (op) {
            case LT, LTE, GT, GTE -> "not a number";
            case LEN_GT, LEN_LTE -> "not a string, array or object";
            case CONTAINS -> "not a string or array";
            default -> "not a string";
        };
    }

    private Result compareOrdered(Object actual) {
        BigDecimal a = actual instanceof Boolean ? null : JsonNumbers.toDecimal(actual);
        if (a == null) {
            return Result.INCOMPARABLE;
        }
        int c = a.compareTo(number);
        return holds(switch (op) {
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        });
    }

    private Result contains(Object actual) {
        if (actual instanceof String text) {
            return value instanceof String needle ? holds(text.contains(needle)) : Result.INCOMPARABLE;
        }
        if (actual instanceof List<?> list) {
            return holds(containsEqual(list, value));
        }
        return Result.INCOMPARABLE;
    }

    private static boolean containsEqual(List<?> list, Object wanted) {
        BigDecimal wantedNumber = JsonNumbers.toDecimal(wanted);
        for (Object element : list) {
            if (JsonEquality.equal(element, wanted, wantedNumber)) {
                return true;
            }
        }
        return false;
    }

    private static long sizeOf(Object actual) {
        if (actual instanceof String text) {
            return text.codePointCount(0, text.length());
        }
        if (actual instanceof List<?> list) {
            return list.size();
        }
        if (actual instanceof Map<?, ?> map) {
            return map.size();
        }
        return -1;
    }

    private static Result holds(boolean holds) {
        return holds ? Result.HOLDS : Result.DOES_NOT_HOLD;
    }

    private static InvalidPredicateException wrongValue(Operator op, String expected) {
        return new InvalidPredicateException("value", "operator \"" + op.wireName() + "\" needs " + expected, null);
    }

    private static List<String> operatorNames() {
        return java.util.Arrays.stream(Operator.values()).map(Operator::wireName).toList();
    }

    @Override
    public String toString() {
        return describe();
    }
}
