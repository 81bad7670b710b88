package dev.policylayer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.policylayer.engine.counter.Algorithm;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterUnits;

/**
 * One counter increment on the hot path (the key is already known to the store), sliding and fixed,
 * against the simplest in-heap counter a Java programmer would write. Limits are high enough never to
 * refuse, so every call takes the granting path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class CounterIncrementBenchmark {
    private static final String KEY = "calls|grant:default";
    private static final CounterSpec SLIDING = new CounterSpec(60_000, CounterUnits.MAX_UNITS, Algorithm.SLIDING);
    private static final CounterSpec FIXED = new CounterSpec(60_000, CounterUnits.MAX_UNITS, Algorithm.FIXED);

    /** Where the counters live: off-heap in this JVM, or in a memory-mapped file shared between JVMs. */
    @Param({"memory", "file"})
    public String where;

    private OffHeapCounterStore store;
    private Path dir;
    private final ConcurrentHashMap<String, AtomicLong> baseline = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void open() throws IOException {
        if (where.equals("file")) {
            dir = Files.createTempDirectory("counter-bench");
            store = OffHeapCounterStore.sharedFile(dir.resolve("counters.dat"), Clock.systemUTC(), 1_000);
        } else {
            store = OffHeapCounterStore.inMemory(Clock.systemUTC(), 1_000);
        }
        if (!store.tryAcquire(KEY, SLIDING, 1).granted() || !store.tryAcquire(KEY, FIXED, 1).granted()) {
            throw new IllegalStateException("the counters refuse: the benchmark would measure refusals");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    @Benchmark
    public boolean sliding() {
        return store.tryAcquire(KEY, SLIDING, 1).granted();
    }

    @Benchmark
    public boolean fixed() {
        return store.tryAcquire(KEY, FIXED, 1).granted();
    }

    @Benchmark
    public long concurrentHashMapAtomicLong() {
        return baseline.computeIfAbsent(KEY, k -> new AtomicLong()).incrementAndGet();
    }
}
