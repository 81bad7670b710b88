package dev.policylayer.engine.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain JSON values (maps, lists, strings, BigDecimals, booleans, null) from text, for tools that take call
 * arguments on a command line. Errors say where.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /** The value {@code text} holds; throws IllegalArgumentException naming line and column when it is not JSON. */
    public static Object parse(String text) {
        List<PolicyProblem> problems = new ArrayList<>();
        Node root = new DocumentParser("arguments", problems).parse(text, DocumentParser.Format.JSON);
        if (root == null || !problems.isEmpty()) {
            throw new IllegalArgumentException(problems.isEmpty() ? "no JSON value" : problems.get(0).describe());
        }
        return root.plain();
    }
}
