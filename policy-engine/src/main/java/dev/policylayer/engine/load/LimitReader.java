package dev.policylayer.engine.load;

import dev.policylayer.engine.counter.Algorithm;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterUnits;
import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.Scope;
import dev.policylayer.engine.predicate.ArgumentPath;
import dev.policylayer.engine.spelling.Suggestions;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code limits} entries and the {@code rate_limit} shorthand, and checks that limits sharing a
 * counter name agree on its settings (a shared counter with two meanings would count wrongly).
 */
final class LimitReader {
    private static final Set<String> LIMIT_FIELDS = Set.of("counter", "window", "max", "scope", "increment",
            "increment_from", "algorithm", "refund_on_error");
    private static final Set<String> RATE_LIMIT_FIELDS = Set.of("max", "window", "scope", "algorithm");

    private final Reading reading;
    /** Counter name → the first limit that used it. */
    private final Map<String, Limit> counters = new HashMap<>();

    LimitReader(Reading reading) {
        this.reading = reading;
    }

    /** Reads a {@code limits} array; entries with problems are left out (the problems are recorded). */
    List<Limit> readAll(Node node, String pointer) {
        if (node == null) {
            return List.of();
        }
        if (!(node.value() instanceof List)) {
            reading.problem(node, pointer, "limits must be an array of limit objects, got " + node.kind(), null);
            return List.of();
        }
        List<Limit> limits = new java.util.ArrayList<>();
        List<Node> elements = node.elements();
        for (int i = 0; i < elements.size(); i++) {
            Limit limit = read(elements.get(i), pointer + "/" + i);
            if (limit != null) {
                limits.add(limit);
            }
        }
        return limits;
    }

    Limit read(Node node, String pointer) {
        Map<String, Node> fields = reading.object(node, pointer, "a limit");
        if (fields == null) {
            return null;
        }
        reading.rejectUnknownFields(node, pointer, LIMIT_FIELDS, "a limit");
        String counter = fields.containsKey("counter") ? reading.string(fields.get("counter"),
                pointer + "/counter", "counter") : null;
        if (!fields.containsKey("counter")) {
            reading.problem(node, pointer, "a limit needs a \"counter\" name", "add \"counter\": \"calls\"");
        }
        return build(node, pointer, counter, fields, false);
    }

    /** {@code "rate_limit": {"max": 10, "window": 60}}: one count limit on its own counter. */
    Limit readRateLimit(Node node, String pointer, String toolKey) {
        Map<String, Node> fields = reading.object(node, pointer, "a rate limit");
        if (fields == null) {
            return null;
        }
        reading.rejectUnknownFields(node, pointer, RATE_LIMIT_FIELDS, "rate_limit");
        return build(node, pointer, "rate_limit:" + toolKey, fields, false);
    }

    /** A limit given as a property value such as {@code 10/minute}. */
    Limit readProperty(String property, String value, String counter, Scope scope) {
        Node at = new Node(value, "(property " + property + ")");
        int slash = value.indexOf('/');
        BigDecimal max = null;
        long window = -1;
        if (slash > 0) {
            try {
                max = new BigDecimal(value.substring(0, slash).trim());
            } catch (NumberFormatException notANumber) {
                max = null;
            }
            String windowText = value.substring(slash + 1).trim();
            window = WindowText.millis(windowText);
        }
        if (max == null || window < 0) {
            reading.problem(at, property, "expected MAX/WINDOW such as 10/minute, 100/1h or 5/30s, got \""
                    + value + "\"", null);
            return null;
        }
        Map<String, Node> fields = new HashMap<>();
        fields.put("max", new Node(max, at.location()));
        fields.put("window", new Node(window / 1000 + "s", at.location()));
        fields.put("scope", new Node(scope.name().toLowerCase(Locale.ROOT), at.location()));
        return build(at, property, counter, fields, true);
    }

    private Limit build(Node node, String pointer, String counter, Map<String, Node> fields, boolean property) {
        boolean ok = counter != null;
        long windowMillis = window(fields.get("window"), pointer, node);
        ok &= windowMillis > 0;
        BigDecimal max = decimal(fields.get("max"), pointer + "/max", "max", node);
        long maxUnits = -1;
        if (max != null) {
            if (max.signum() <= 0) {
                reading.problem(fields.get("max"), pointer + "/max", "max must be greater than 0, got "
                        + max.toPlainString(), "to block a tool entirely use \"action\": \"deny\"");
            } else {
                maxUnits = units(max, fields.get("max"), pointer + "/max");
            }
        }
        ok &= maxUnits > 0;
        Scope scope = choice(fields.get("scope"), pointer + "/scope", Scope.class, Scope.GRANT);
        Algorithm algorithm = choice(fields.get("algorithm"), pointer + "/algorithm", Algorithm.class,
                Algorithm.SLIDING);
        ok &= scope != null && algorithm != null;

        long increment = CounterUnits.one();
        if (fields.containsKey("increment")) {
            BigDecimal step = decimal(fields.get("increment"), pointer + "/increment", "increment", node);
            if (step != null && step.signum() <= 0) {
                reading.problem(fields.get("increment"), pointer + "/increment",
                        "increment must be greater than 0, got " + step.toPlainString(), null);
                ok = false;
            } else if (step != null) {
                increment = units(step, fields.get("increment"), pointer + "/increment");
                ok &= increment > 0;
            } else {
                ok = false;
            }
        }
        ArgumentPath incrementFrom = null;
        if (fields.containsKey("increment_from")) {
            if (fields.containsKey("increment")) {
                reading.problem(fields.get("increment_from"), pointer + "/increment_from",
                        "a limit has either \"increment\" or \"increment_from\", not both", null);
                ok = false;
            }
            String path = reading.string(fields.get("increment_from"), pointer + "/increment_from",
                    "increment_from");
            if (path != null) {
                try {
                    incrementFrom = ArgumentPath.parse(path);
                } catch (IllegalArgumentException malformed) {
                    reading.problem(fields.get("increment_from"), pointer + "/increment_from",
                            malformed.getMessage(), null);
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        boolean refundOnError = true;
        if (fields.containsKey("refund_on_error")) {
            Node refund = fields.get("refund_on_error");
            if (refund.value() instanceof Boolean b) {
                refundOnError = b;
            } else {
                reading.problem(refund, pointer + "/refund_on_error", "refund_on_error must be true or false, got "
                        + refund.kind(), null);
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        CounterSpec spec = new CounterSpec(windowMillis, maxUnits, algorithm);
        Limit limit = new Limit(pointer, counter, spec, scope, increment, incrementFrom, refundOnError,
                summary(max, windowMillis, increment, incrementFrom));
        Limit first = counters.putIfAbsent(counter, limit);
        if (first != null && !first.settingsFingerprint().equals(limit.settingsFingerprint())) {
            reading.problem(node, pointer, "counter \"" + counter + "\" is also defined at " + first.pointer()
                    + " with different settings (" + first.summary() + ", scope " + first.scope().name()
                    .toLowerCase(Locale.ROOT) + "); limits sharing a counter must agree",
                    "give one of them another counter name");
            return null;
        }
        return limit;
    }

    private long window(Node node, String pointer, Node owner) {
        if (node == null) {
            reading.problem(owner, pointer, "a limit needs a \"window\"", "add \"window\": \"minute\"");
            return -1;
        }
        long millis = WindowText.millis(node.value());
        if (millis < 0) {
            reading.problem(node, pointer + "/window", WindowText.EXPECTED + "; got " + describe(node), null);
            return -1;
        }
        if (millis < 1000) {
            reading.problem(node, pointer + "/window", "window must be at least 1 second; got " + describe(node),
                    null);
            return -1;
        }
        return millis;
    }

    private BigDecimal decimal(Node node, String pointer, String name, Node owner) {
        if (node == null) {
            reading.problem(owner, pointer.substring(0, pointer.lastIndexOf('/')), "a limit needs \"" + name + "\"",
                    null);
            return null;
        }
        if (!(node.value() instanceof BigDecimal number)) {
            reading.problem(node, pointer, name + " must be a number, got " + describe(node), null);
            return null;
        }
        return number;
    }

    private long units(BigDecimal amount, Node node, String pointer) {
        try {
            return CounterUnits.of(amount);
        } catch (ArithmeticException tooBig) {
            reading.problem(node, pointer, tooBig.getMessage(), null);
            return -1;
        }
    }

    private <E extends Enum<E>> E choice(Node node, String pointer, Class<E> type, E fallback) {
        if (node == null) {
            return fallback;
        }
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        if (node.value() instanceof String text) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return constant;
                }
            }
        }
        reading.problem(node, pointer, "expected one of " + String.join(", ", names) + "; got " + describe(node),
                node.value() instanceof String text ? Suggestions.nearest(text, names)
                        .map(s -> "did you mean \"" + s + "\"?").orElse(null) : null);
        return null;
    }

    private static String describe(Node node) {
        return node.value() instanceof String text ? "\"" + text + "\""
                : node.value() instanceof BigDecimal n ? n.toPlainString() : node.kind();
    }

    private static String summary(BigDecimal max, long windowMillis, long increment, ArgumentPath incrementFrom) {
        String per = " per " + WindowText.format(windowMillis);
        if (incrementFrom != null) {
            return max.stripTrailingZeros().toPlainString() + " of " + incrementFrom + per;
        }
        if (increment == CounterUnits.one()) {
            return max.stripTrailingZeros().toPlainString() + " calls" + per;
        }
        return max.stripTrailingZeros().toPlainString() + per + " (each call counts "
                + CounterUnits.toDecimal(increment).toPlainString() + ")";
    }
}
