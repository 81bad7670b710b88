package dev.policylayer.engine.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * 64-bit words of a counter table, at 8-byte aligned byte offsets of a direct or memory-mapped buffer, read and
 * written with volatile semantics and compare-and-swap. Each operation is one atomic instruction on the memory
 * itself, so it is atomic between threads and between processes that map the same file (lock cmpxchg / lock
 * xadd on x86; LSE or LL/SC pairs on ARM). A {@link VarHandle} over the buffer: nothing of the JDK's internals is
 * needed, so the agent asks no module to be opened for its counters.
 */
final class Memory {
    private static final VarHandle WORDS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final ByteBuffer buffer;

    /** @param buffer direct or mapped, starting 8-byte aligned (a mapping starts on a page) */
    Memory(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Zeroed memory in this JVM, aligned. */
    static Memory allocate(int bytes) {
        return new Memory(ByteBuffer.allocateDirect(bytes + Long.BYTES).alignedSlice(Long.BYTES));
    }

    int bytes() {
        return buffer.capacity();
    }

    ByteBuffer buffer() {
        return buffer;
    }

    long read(long offset) {
        return (long) WORDS.getVolatile(buffer, (int) offset);
    }

    boolean cas(long offset, long expected, long value) {
        return WORDS.compareAndSet(buffer, (int) offset, expected, value);
    }

    /** Adds and returns the new value. */
    long add(long offset, long delta) {
        return (long) WORDS.getAndAdd(buffer, (int) offset, delta) + delta;
    }

    void write(long offset, long value) {
        WORDS.setVolatile(buffer, (int) offset, value);
    }

    /**
     * Writes the scratch word at {@code offset} before a CAS on the same page. A shared page the kernel will not let
     * us write (the file was cut short, or made immutable, under us) faults on the first write: for a guarded store
     * the JVM turns that fault into an {@link InternalError} the caller handles, where a compare-and-swap run by the
     * interpreter would take the whole JVM down. After this store the page is writable (dirty) for the CAS.
     */
    void touch(long offset) {
        WORDS.setVolatile(buffer, (int) offset, 0L);
    }

    /** Plain byte access, for key text (written before the slot is published, read after). */
    void putBytes(long offset, byte[] bytes, int length) {
        buffer.put((int) offset, bytes, 0, length);
    }

    byte[] getBytes(long offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get((int) offset, bytes, 0, length);
        return bytes;
    }
}
