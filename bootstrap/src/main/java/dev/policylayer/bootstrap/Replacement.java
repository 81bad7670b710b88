package dev.policylayer.bootstrap;

/**
 * What the enter advice returns when the call must not run: the value the instrumented method returns instead
 * (a denial), or, when no denial could be built, the exception it throws instead. The advice skips the method
 * body when it sees this type.
 */
public final class Replacement {
    private final Object value;
    private final RuntimeException thrown;

    private Replacement(Object value, RuntimeException thrown) {
        this.value = value;
        this.thrown = thrown;
    }

    public static Replacement returning(Object value) {
        return new Replacement(value, null);
    }

    public static Replacement throwing(RuntimeException thrown) {
        return new Replacement(null, thrown);
    }

    /** The method's replacement result; throws the replacement exception when there is one. */
    public Object value() {
        if (thrown != null) {
            throw thrown;
        }
        return value;
    }
}
