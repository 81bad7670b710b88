package dev.policylayer.engine.predicate;

import java.util.Locale;
import java.util.Optional;

/** The comparison a predicate makes; the wire names are the policy document's {@code op} values. */
public enum Operator {
    EQ, NEQ, IN, NOT_IN, LT, LTE, GT, GTE, REGEX, CONTAINS, EXISTS,
    STARTS_WITH, ENDS_WITH, LEN_GT, LEN_LTE;

    /** The name as written in a policy, e.g. {@code not_in}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Operator> byWireName(String name) {
        for (Operator op : values()) {
            if (op.wireName().equals(name)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    boolean isOrdering() {
        return this == LT || this == LTE || this == GT || this == GTE;
    }
}
