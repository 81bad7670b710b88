package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Never more than max, whatever happens to the shared file: three JVMs of four threads each hammer one
 * {@code max 3000} limit; once some hundreds are admitted the file is damaged under them (overwritten with zeros or
 * garbage in place, cut in half, cut and grown back, emptied, deleted, made read-only), and a fourth JVM is started
 * after the damage. The admissions every JVM counted add up to at most 3000; undamaged, to exactly 3000.
 */
class DamagedCounterFileTest {
    static final long MAX = 3000;
    static final CounterSpec SPEC = new CounterSpec(3_600_000, MAX * CounterUnits.one(), Algorithm.SLIDING);
    static final String KEY = "global:5:calls:0:";
    private static final int ATTEMPTS_PER_THREAD = 1500;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"none", "zeroed", "garbage", "cut-in-half", "cut-and-grown-back", "emptied", "deleted",
        "read-only"})
    void neverMoreThanMax(String damage) throws Exception {
        Path file = dir.resolve("counters.dat");
        List<Process> hammers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hammers.add(ForkedJvm.start(dir, "hammer-" + i, Hammer.class.getName(), file.toString(),
                    Integer.toString(ATTEMPTS_PER_THREAD)));
        }
        awaitAdmitted(file, 786, hammers);
        boolean applied = damage(file, damage);
        assumeTrue(applied, "this file system cannot make a file read-only for root");
        Process late = ForkedJvm.start(dir, "late", Hammer.class.getName(), file.toString(), "300");
        long admitted = 0;
        for (int i = 0; i < 3; i++) {
            ForkedJvm.awaitSuccess(hammers.get(i), dir, "hammer-" + i);
            admitted += Long.parseLong(ForkedJvm.stdout(dir, "hammer-" + i).trim());
        }
        ForkedJvm.awaitSuccess(late, dir, "late");
        long lateAdmitted = Long.parseLong(ForkedJvm.stdout(dir, "late").trim());
        if (damage.equals("none")) {
            assertEquals(MAX, admitted + lateAdmitted, "undamaged, the limit is reached exactly");
        } else {
            assertTrue(admitted + lateAdmitted <= MAX, damage + ": " + admitted + " admitted by the three, "
                    + lateAdmitted + " by the one started after the damage, against a max of " + MAX);
            assertEquals(0, lateAdmitted, "a JVM started after the damage counts nothing: "
                    + ForkedJvm.stderr(dir, "late"));
            String why = ForkedJvm.stderr(dir, "late");
            assertTrue(why.contains("counters reset") || why.contains("not readable and writable"), why);
        }
    }

    @org.junit.jupiter.api.AfterEach
    void mutableAgain() throws Exception {
        Path file = dir.resolve("counters.dat");
        if (Files.exists(file)) {
            new ProcessBuilder("chattr", "-i", file.toString()).start().waitFor(); // so the temp dir can go
        }
    }

    /** Polls what the file counts (read-only) until {@code count} are admitted, with a generous deadline. */
    private static void awaitAdmitted(Path file, long count, List<Process> hammers) throws Exception {
        for (long deadline = System.nanoTime() + 120_000_000_000L; ; Thread.sleep(2)) {
            assertTrue(System.nanoTime() < deadline, "the hammers never admitted " + count);
            assertTrue(hammers.stream().anyMatch(Process::isAlive), "the hammers ended before " + count);
            try {
                List<CounterReading> readings = CounterFileReader.read(file, Clock.systemUTC());
                if (!readings.isEmpty() && readings.get(0).inWindow().longValue() >= count) {
                    return;
                }
            } catch (CounterStoreOpenException notYet) {
                // not created yet
            }
        }
    }

    private static boolean damage(Path file, String how) throws Exception {
        long size = Files.size(file);
        switch (how) {
            case "none" -> {
            }
            case "zeroed" -> overwrite(file, new byte[(int) size]);
            case "garbage" -> {
                byte[] noise = new byte[(int) size];
                new Random(42).nextBytes(noise);
                overwrite(file, noise);
            }
            case "cut-in-half" -> {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(size / 2);
                }
            }
            case "cut-and-grown-back" -> {
                // What FileChannel.map does to a file shorter than it maps: a process that checked the size before
                // the cut and maps after it grows the file back, header intact, counters zeros.
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(size / 2);
                    raf.setLength(size);
                }
            }
            case "emptied" -> {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(0);
                }
            }
            case "deleted" -> Files.delete(file);
            case "read-only" -> {
                // Tests run as root here, whom permissions do not stop: the immutable attribute stops everyone.
                try {
                    return new ProcessBuilder("chattr", "+i", file.toString()).start().waitFor() == 0;
                } catch (java.io.IOException noChattr) {
                    return false;
                }
            }
            default -> throw new IllegalArgumentException(how);
        }
        return true;
    }

    /** The same size, the same inode, other bytes. */
    private static void overwrite(Path file, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
        }
    }

    /** A child JVM: four threads each try the limit {@code attempts} times; prints how many it admitted. */
    static final class Hammer {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            int attempts = Integer.parseInt(args[1]);
            AtomicLong admitted = new AtomicLong();
            OffHeapCounterStore store;
            try {
                store = OffHeapCounterStore.sharedFile(file, Clock.systemUTC(), 100);
            } catch (CounterStoreOpenException refused) {
                System.err.println(refused.getMessage());
                System.out.println(0);
                return;
            }
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < attempts; i++) {
                        Acquisition a = store.tryAcquire(KEY, SPEC, CounterUnits.one());
                        if (a.granted()) {
                            admitted.incrementAndGet();
                        } else if (a.failure() != null && i % 100 == 0) {
                            System.err.println(a.failure());
                        }
                        try {
                            Thread.sleep(1); // a tool call takes time: the damage lands mid-hammer
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            System.out.println(admitted.get());
        }
    }
}
