package dev.policylayer.engine.load;

import dev.policylayer.engine.spelling.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of reading one document: where it came from and every problem found so far. */
final class Reading {
    private final String source;
    private final List<PolicyProblem> problems;

    Reading(String source, List<PolicyProblem> problems) {
        this.source = source;
        this.problems = problems;
    }

    String source() {
        return source;
    }

    void problem(Node at, String pointer, String message, String suggestion) {
        problems.add(new PolicyProblem(source, at == null ? null : at.location(), pointer, message, suggestion));
    }

    /** The node's fields when it is an object; records "expected an object" and returns null otherwise. */
    Map<String, Node> object(Node node, String pointer, String what) {
        if (node == null || !node.isObject()) {
            problem(node, pointer, "expected " + what + " (an object), got " + (node == null ? "nothing"
                    : node.kind()), null);
            return null;
        }
        return node.fields();
    }

    /** Records every field not in {@code known}, with the nearest known name as a suggestion. */
    void rejectUnknownFields(Node object, String pointer, Set<String> known, String where) {
        object.fields().forEach((name, value) -> {
            if (!known.contains(name)) {
                problems.add(new PolicyProblem(source, object.keyLocation(name), pointer + "/" + Pointers.escape(name), "unknown field \"" + name + "\" in " + where
                        + "; known fields: " + String.join(", ", known.stream().sorted().toList()),
                        Suggestions.nearest(name, known).map(s -> "did you mean \"" + s + "\"?").orElse(null)));
            }
        });
    }

    /** The string value, or null with a problem recorded. */
    String string(Node node, String pointer, String what) {
        if (node == null || !(node.value() instanceof String text)) {
            problem(node, pointer, what + " must be a string, got " + (node == null ? "nothing" : node.kind()),
                    null);
            return null;
        }
        return text;
    }
}
