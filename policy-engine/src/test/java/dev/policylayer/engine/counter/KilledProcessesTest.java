package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes killed ({@code kill -9}) again and again while they create counters in a shared file, beside an observer
 * process that creates 3000 counters of its own: the observer never waits on a dead process for long (its slowest
 * calls stay far below the seconds a lock left by the dead would cost), and no counter of {@code max 1} admits twice
 * across all of them.
 */
class KilledProcessesTest {
    static final int COUNTERS = 3000;
    static final CounterSpec ONE_PER_HOUR = new CounterSpec(3_600_000, CounterUnits.one(), Algorithm.FIXED);
    /** A liveness limit: a lock left by a dead process used to cost 5 s per call; a live one costs microseconds. */
    private static final long SLOWEST_P99_NANOS = 2_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void killedCreatorsNeitherStallTheOthersNorLetACounterAdmitTwice() throws Exception {
        Path file = dir.resolve("counters.dat");
        Process observer = ForkedJvm.start(dir, "observer", Observer.class.getName(), file.toString());
        Random random = new Random(7);
        int kills = 0;
        for (long deadline = System.nanoTime() + 300_000_000_000L; observer.isAlive() && kills < 12; kills++) {
            assertTrue(System.nanoTime() < deadline, "the observer never finished");
            Process creator = ForkedJvm.start(dir, "creator-" + kills, Creator.class.getName(), file.toString(),
                    Long.toString(random.nextLong()));
            Path started = dir.resolve("creator-" + kills + ".out");
            for (long wait = System.nanoTime() + 60_000_000_000L; creator.isAlive()
                    && Files.readString(started).lines().count() < 20; Thread.sleep(1)) {
                assertTrue(System.nanoTime() < wait, "creator " + kills + " never got going");
            }
            Thread.sleep(random.nextInt(20)); // somewhere in the middle of creating counters
            creator.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
        }
        ForkedJvm.awaitSuccess(observer, dir, "observer");

        String[] report = ForkedJvm.stdout(dir, "observer").trim().split("\n");
        long p99 = Long.parseLong(report[0]);
        assertTrue(p99 < SLOWEST_P99_NANOS, "the observer's p99 call took " + p99 / 1_000_000 + " ms");
        Map<String, Integer> admissions = new HashMap<>();
        for (String key : report[1].split(",")) {
            admissions.merge(key, 1, Integer::sum);
        }
        for (int k = 0; k < kills; k++) {
            for (String line : ForkedJvm.stdout(dir, "creator-" + k).lines().toList()) {
                if (line.startsWith("granted ")) {
                    admissions.merge(line.substring("granted ".length()), 1, Integer::sum);
                }
            }
        }
        List<String> twice = admissions.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of(), twice, "counters of max 1 admitted more than once");
        assertTrue(kills >= 3, "too few creators were killed to show anything: " + kills);
    }

    /** Creates (and spends) each of the counters once, timing every call; prints the p99 and what it admitted. */
    static final class Observer {
        public static void main(String[] args) throws Exception {
            try (OffHeapCounterStore store = OffHeapCounterStore.sharedFile(Path.of(args[0]), Clock.systemUTC(),
                    20_000)) {
                long[] took = new long[COUNTERS];
                StringBuilder admitted = new StringBuilder();
                for (int k = 0; k < COUNTERS; k++) {
                    long start = System.nanoTime();
                    Acquisition a = store.tryAcquire("k" + k, ONE_PER_HOUR, CounterUnits.one());
                    took[k] = System.nanoTime() - start;
                    if (a.granted()) {
                        admitted.append(admitted.length() == 0 ? "" : ",").append("k").append(k);
                    }
                    Thread.sleep(0, 200_000); // spread over the creators' lives
                }
                Arrays.sort(took);
                System.out.println(took[COUNTERS * 99 / 100]);
                System.out.println(admitted);
            }
        }
    }

    /** Creates counters among the observer's, in random order, saying each admission at once, until killed. */
    static final class Creator {
        public static void main(String[] args) throws Exception {
            Random random = new Random(Long.parseLong(args[1]));
            OffHeapCounterStore store = OffHeapCounterStore.sharedFile(Path.of(args[0]), Clock.systemUTC(), 20_000);
            while (true) {
                String key = "k" + random.nextInt(COUNTERS);
                Acquisition a = store.tryAcquire(key, ONE_PER_HOUR, CounterUnits.one());
                System.out.println(a.granted() ? "granted " + key : "refused " + key);
                System.out.flush();
            }
        }
    }
}
