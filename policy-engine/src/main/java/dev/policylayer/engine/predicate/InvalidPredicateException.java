package dev.policylayer.engine.predicate;

/** A predicate that cannot be compiled; says which field ({@code path}, {@code op}, {@code value}) is wrong. */
public final class InvalidPredicateException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String suggestion;

    public InvalidPredicateException(String field, String message, String suggestion) {
        super(message);
        this.field = field;
        this.suggestion = suggestion;
    }

    /** {@code path}, {@code op} or {@code value}. */
    public String field() {
        return field;
    }

    /** What to write instead, or null. */
    public String suggestion() {
        return suggestion;
    }
}
