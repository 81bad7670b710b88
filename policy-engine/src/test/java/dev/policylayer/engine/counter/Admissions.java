package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Admissions recorded by a load test, each as the clock reading just before and just after the call
 * that was granted (the store read its clock somewhere in between), and the checks made on them.
 */
final class Admissions {
    record Admission(long before, long after) {
    }

    private final List<Admission> all = new ArrayList<>();

    synchronized void add(long before, long after) {
        all.add(new Admission(before, after));
    }

    synchronized int size() {
        return all.size();
    }

    /**
     * No interval [s, s + window] holds more than max admissions that certainly happened inside it.
     * Returns the fullest count seen, for the message.
     */
    synchronized void assertNoWindowHoldsMoreThan(long window, long max) {
        List<Admission> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(Admission::before));
        int fullest = 0;
        long fullestAt = 0;
        for (int i = 0; i < sorted.size(); i++) {
            long start = sorted.get(i).before();
            int inside = 0;
            for (int j = i; j < sorted.size() && sorted.get(j).before() <= start + window; j++) {
                if (sorted.get(j).after() <= start + window) {
                    inside++;
                }
            }
            if (inside > fullest) {
                fullest = inside;
                fullestAt = start;
            }
        }
        assertTrue(fullest <= max, fullest + " admissions within " + window + " ms starting at " + fullestAt
                + " (max " + max + ")");
    }

    /** The first window (from the first admission on) admitted exactly max: none was lost to contention. */
    synchronized void assertFirstWindowAdmitted(long window, long max) {
        long first = all.stream().mapToLong(Admission::before).min().orElseThrow();
        long inFirst = all.stream().filter(a -> a.after() <= first + window).count();
        assertEquals(max, inFirst, "admissions in the first window");
    }

    synchronized List<Admission> list() {
        return List.copyOf(all);
    }
}
