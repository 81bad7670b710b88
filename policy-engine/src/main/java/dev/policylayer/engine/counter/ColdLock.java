package dev.policylayer.engine.counter;

import java.util.concurrent.locks.LockSupport;

/**
 * The lock of a counter table's cold path (creating and reclaiming counters; counting itself takes no lock), one
 * word in the table that names its holder ({@link ProcessIdentity}). A process killed while holding it cannot wedge
 * the others: a waiter that finds the holder dead takes the lock over (it was only ever held across a few writes
 * to one slot, which the new holder treats as unfinished), so nobody waits more than moments for a dead process.
 * A live holder is waited for at most the caller's bound; then the caller fails closed for that one call.
 */
final class ColdLock {
    /** Heard when the lock was taken from a dead process. */
    interface Recovered {
        void fromDeadProcess(long pid);
    }

    private final Memory memory;
    private final long offset;
    private final long scratch;
    private final Recovered recovered;

    /** @param scratch a word on the lock's page, written before its compare-and-swap (see {@link Memory#touch}) */
    ColdLock(Memory memory, long offset, long scratch, Recovered recovered) {
        this.memory = memory;
        this.offset = offset;
        this.scratch = scratch;
        this.recovered = recovered;
    }

    /**
     * Takes the lock, waiting at most {@code maxWaitNanos} for a live holder. Callers in one JVM serialise among
     * themselves first (the word names the process, not the thread).
     *
     * @return 0 when taken, else the identity of the live holder that kept it
     */
    long acquire(long maxWaitNanos) {
        memory.touch(scratch);
        long deadline = System.nanoTime() + maxWaitNanos;
        long checked = 0;
        long nextCheck = 0;
        for (int attempt = 0; ; attempt++) {
            if (memory.cas(offset, 0, ProcessIdentity.SELF)) {
                return 0;
            }
            long holder = memory.read(offset);
            // Whether the holder lives is read from the system (a /proc look-up): once per holder and every 10 ms.
            boolean look = holder != 0 && (holder != checked || System.nanoTime() - nextCheck >= 0);
            if (look) {
                checked = holder;
                nextCheck = System.nanoTime() + 10_000_000L;
            }
            if (holder == ProcessIdentity.SELF || (look && !ProcessIdentity.alive(holder))) {
                // Left by a dead process (or by this one, by a thread that died mid-way: callers here serialise).
                if (memory.cas(offset, holder, ProcessIdentity.SELF)) {
                    if (holder != ProcessIdentity.SELF) {
                        recovered.fromDeadProcess(ProcessIdentity.pid(holder));
                    }
                    return 0;
                }
                continue;
            }
            if (holder != 0 && System.nanoTime() - deadline >= 0) {
                return holder;
            }
            if (attempt < 16) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    void release() {
        memory.touch(scratch);
        memory.cas(offset, ProcessIdentity.SELF, 0);
    }
}
