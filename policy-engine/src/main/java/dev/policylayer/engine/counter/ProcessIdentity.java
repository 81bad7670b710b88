package dev.policylayer.engine.counter;

import java.time.Instant;
import java.util.Optional;

/**
 * A process as a 64-bit word a shared counter file can hold: its pid, and the low 32 bits of its start time in
 * milliseconds, so that a pid the system has since given to another process is not mistaken for the one that
 * wrote the word. Processes sharing a file must share a pid namespace (one host, one container), as they share a
 * clock.
 */
final class ProcessIdentity {
    private static final long LOW = 0xFFFF_FFFFL;
    /** This process. */
    static final long SELF = of(ProcessHandle.current());

    private ProcessIdentity() {
    }

    static long of(ProcessHandle process) {
        return (process.pid() << 32) | (startMillis(process) & LOW);
    }

    static long pid(long identity) {
        return identity >>> 32;
    }

    /** Whether the process the word names is still running (true when that cannot be told: the safe side). */
    static boolean alive(long identity) {
        long pid = pid(identity);
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return started.isEmpty() || (started.get().toEpochMilli() & LOW) == (identity & LOW);
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
