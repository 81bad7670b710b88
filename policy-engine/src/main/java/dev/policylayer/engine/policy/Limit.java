package dev.policylayer.engine.policy;

import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.predicate.ArgumentPath;

/**
 * One limit: a counter, how much each call adds to it, and how much a window may hold.
 *
 * @param pointer       where it stands in the policy ({@code /all_tools/limits/0}, {@code /tools/x/rate_limit},
 *                      or {@code policylayer.limit.x} for a property)
 * @param counter       the counter's name; limits with the same name and settings share one counter
 * @param spec          window, max (in units) and algorithm
 * @param scope         whose calls are counted together
 * @param increment     units each call adds when {@code incrementFrom} is null
 * @param incrementFrom the argument whose numeric value each call adds (spend budgets), or null
 * @param refundOnError whether an {@code isError} result gives the quota back (exceptions always do)
 * @param summary       how the limit reads to a person: {@code 10 calls per 60s}, {@code 50000 per 1d}
 */
public record Limit(String pointer, String counter, CounterSpec spec, Scope scope, long increment,
                    ArgumentPath incrementFrom, boolean refundOnError, String summary) {

    /** What a limit is made of, regardless of where it stands: two limits sharing a counter must agree on it. */
    public String settingsFingerprint() {
        return spec + "/" + scope + "/" + increment + "/" + incrementFrom;
    }
}
