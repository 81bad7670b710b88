package dev.policylayer.engine.load;

/**
 * One thing wrong with a policy, said so a person can fix it.
 *
 * @param source     the file (or {@code policylayer.limit.search} property, or {@code inline policy}) it is in
 * @param location   {@code line 12, column 7} where the parser knows it, else null
 * @param pointer    the JSON pointer of the offending value ({@code /tools/create_refund/deny_if/0/op}), or
 *                   {@code ""} for the whole document
 * @param message    what was found and what was expected
 * @param suggestion what to do, where one is obvious ({@code did you mean "deny_if"?}), else null
 */
public record PolicyProblem(String source, String location, String pointer, String message, String suggestion) {

    /** One line: {@code policy.json line 3, column 5 at /tools/x/deny-if: unknown field "deny-if"; did you mean "deny_if"?} */
    public String describe() {
        StringBuilder line = new StringBuilder(source);
        if (location != null) {
            line.append(' ').append(location);
        }
        if (pointer != null) {
            line.append(" at ").append(pointer.isEmpty() ? "/" : pointer);
        }
        line.append(": ").append(message);
        if (suggestion != null) {
            line.append("; ").append(suggestion);
        }
        return line.toString();
    }
}
