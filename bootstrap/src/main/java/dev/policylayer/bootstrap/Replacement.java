package dev.policylayer.bootstrap;

/**
 * What the enter advice returns when the call must not run: the value the instrumented method returns
 * instead (a denial {@code Mono}). The advice skips the method body when it sees this type.
 */
public final class Replacement {
    private final Object value;

    public Replacement(Object value) {
        this.value = value;
    }

    public Object value() {
        return value;
    }
}
