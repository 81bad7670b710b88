package dev.policylayer.engine.predicate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Equality of plain JSON values as the policy means it: numbers (and strings that spell numbers) by exact
 * value, so {@code 1e3}, {@code 1000} and {@code "1000"} are equal; everything else structurally.
 */
final class JsonEquality {

    private JsonEquality() {
    }

    /**
     * @param ruleNumber {@code rule} read as a number, or null when it is not one (passed in so that it is
     *                   computed once at load, not per call)
     */
    static boolean equal(Object actual, Object rule, BigDecimal ruleNumber) {
        if (ruleNumber != null && !(rule instanceof Boolean) && !(actual instanceof Boolean)) {
            BigDecimal a = JsonNumbers.toDecimal(actual);
            if (a != null) {
                return a.compareTo(ruleNumber) == 0;
            }
            if (rule instanceof BigDecimal) {
                return false; // a number never equals a non-numeric value
            }
        }
        if (actual == null || rule == null) {
            return actual == rule;
        }
        if (rule instanceof String || rule instanceof Boolean) {
            return rule.equals(actual);
        }
        if (rule instanceof List<?> ruleList) {
            if (!(actual instanceof List<?> list) || list.size() != ruleList.size()) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                Object element = ruleList.get(i);
                if (!equal(list.get(i), element, JsonNumbers.toDecimal(element))) {
                    return false;
                }
            }
            return true;
        }
        if (rule instanceof Map<?, ?> ruleMap) {
            if (!(actual instanceof Map<?, ?> map) || map.size() != ruleMap.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : ruleMap.entrySet()) {
                if (!map.containsKey(entry.getKey())) {
                    return false;
                }
                Object element = entry.getValue();
                if (!equal(map.get(entry.getKey()), element, JsonNumbers.toDecimal(element))) {
                    return false;
                }
            }
            return true;
        }
        BigDecimal a = JsonNumbers.toDecimal(actual);
        BigDecimal r = JsonNumbers.toDecimal(rule);
        return a != null && r != null && a.compareTo(r) == 0;
    }
}
