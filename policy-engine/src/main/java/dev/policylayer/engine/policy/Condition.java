package dev.policylayer.engine.policy;

import dev.policylayer.engine.predicate.Predicate;

/**
 * One entry of a {@code require} or {@code deny_if} list.
 *
 * @param pointer where it stands in the policy, e.g. {@code /tools/create_refund/deny_if/0}
 */
public record Condition(String pointer, Predicate predicate) {
}
