package dev.policylayer.engine.policy;

/**
 * A tool name, or a glob where {@code *} stands for any run of characters ({@code github_*}). Names match
 * exactly: no case folding, no Unicode normalisation, so a look-alike name is a different tool.
 */
public final class ToolNamePattern {
    private final String text;
    private final String[] literals;

    private ToolNamePattern(String text) {
        this.text = text;
        this.literals = text.split("\\*", -1);
    }

    public static ToolNamePattern of(String text) {
        return new ToolNamePattern(text);
    }

    public boolean isGlob() {
        return literals.length > 1;
    }

    /** How many literal characters the pattern pins down: the more, the more specific. */
    public int literalLength() {
        int n = 0;
        for (String literal : literals) {
            n += literal.length();
        }
        return n;
    }

    public boolean matches(String name) {
        if (!isGlob()) {
            return text.equals(name);
        }
        String first = literals[0];
        String last = literals[literals.length - 1];
        if (!name.startsWith(first) || name.length() < first.length() + last.length()) {
            return false;
        }
        int from = first.length();
        int end = name.length() - last.length();
        for (int i = 1; i < literals.length - 1; i++) {
            int at = name.indexOf(literals[i], from);
            if (at < 0 || at + literals[i].length() > end) {
                return false;
            }
            from = at + literals[i].length();
        }
        return name.startsWith(last, end) && from <= end;
    }

    @Override
    public String toString() {
        return text;
    }
}
