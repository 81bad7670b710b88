package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many callers on one sliding limit with a real clock: the limit holds in every interval, and no
 * admission is lost to contention. First threads in one JVM, then two JVMs sharing one file.
 */
class ConcurrentSlidingLimitTest {
    static final long WINDOW = 2_000;
    static final long MAX = 200;
    static final CounterSpec SPEC = new CounterSpec(WINDOW, MAX, Algorithm.SLIDING);

    @TempDir
    Path dir;

    @Test
    void eightThreadsNeverExceedTheLimitInAnyWindow() throws Exception {
        NanoClock clock = new NanoClock();
        Admissions admissions = new Admissions();
        try (OffHeapCounterStore store = OffHeapCounterStore.inMemory(clock, 10)) {
            String failure = hammer(store, clock, 8, clock.millis() + 5_000, admissions);
            assertNull(failure);
        }
        admissions.assertNoWindowHoldsMoreThan(WINDOW, MAX);
        admissions.assertFirstWindowAdmitted(WINDOW, MAX);
        assertTrue(admissions.size() >= 2 * MAX, "the window slid and freed room: " + admissions.size());
    }

    @Test
    void twoProcessesSharingAFileNeverExceedTheLimitInAnyWindow() throws Exception {
        Path file = dir.resolve("counters.dat");
        // Both children start hammering at the same wall-clock instant, after their JVMs are up.
        long start = System.currentTimeMillis() + 4_000;
        long end = start + 5_000;
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(ForkedJvm.start(dir, "child-" + i, CounterHammer.class.getName(),
                    file.toString(), Long.toString(start), Long.toString(end),
                    dir.resolve("admissions-" + i + ".txt").toString()));
        }
        for (int i = 0; i < 2; i++) {
            ForkedJvm.awaitSuccess(children.get(i), dir, "child-" + i);
        }
        Admissions admissions = new Admissions();
        int[] perChild = new int[2];
        for (int i = 0; i < 2; i++) {
            for (String line : Files.readAllLines(dir.resolve("admissions-" + i + ".txt"))) {
                String[] parts = line.split(" ");
                admissions.add(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                perChild[i]++;
            }
        }
        admissions.assertNoWindowHoldsMoreThan(WINDOW, MAX);
        admissions.assertFirstWindowAdmitted(WINDOW, MAX);
        assertTrue(perChild[0] > 0 && perChild[1] > 0, "both processes were admitted some calls");
        assertTrue(admissions.size() >= 2 * MAX, "the window slid and freed room: " + admissions.size());
    }

    /** Runs {@code threads} callers until {@code endMillis}; returns the first failure reason, if any. */
    static String hammer(CounterStore store, java.time.Clock clock, int threads, long endMillis,
                         Admissions admissions) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (clock.millis() < endMillis) {
                    long before = clock.millis();
                    Acquisition a = store.tryAcquire("global:calls", SPEC, 1);
                    long after = clock.millis();
                    if (a.granted()) {
                        admissions.add(before, after);
                    } else if (a.failure() != null) {
                        failure.compareAndSet(null, a.failure());
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        ready.await();
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        return failure.get();
    }

    /** The child process: hammers one counter in a shared file and writes its admissions out. */
    static final class CounterHammer {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            long start = Long.parseLong(args[1]);
            long end = Long.parseLong(args[2]);
            java.time.Clock clock = java.time.Clock.systemUTC();
            Admissions admissions = new Admissions();
            try (OffHeapCounterStore store = OffHeapCounterStore.sharedFile(file, clock, 10)) {
                long wait = start - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait); // line up with the other process; not a timing assertion
                }
                String failure = hammer(store, clock, 4, end, admissions);
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
            }
            StringBuilder out = new StringBuilder();
            for (Admissions.Admission a : admissions.list()) {
                out.append(a.before()).append(' ').append(a.after()).append('\n');
            }
            writeAll(Path.of(args[3]), out.toString());
        }

        private static void writeAll(Path path, String text) throws IOException {
            Files.writeString(path, text);
        }
    }
}
