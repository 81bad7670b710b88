package dev.policylayer.engine.counter;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import sun.misc.Unsafe;

/**
 * 64-bit words of a counter table, at 8-byte aligned byte offsets of a direct or memory-mapped buffer, read and
 * written with volatile semantics and compare-and-swap. Each operation is one atomic instruction on the memory
 * itself, so it is atomic between threads and between processes that map the same file (lock cmpxchg / lock xadd
 * on x86; LSE or LL/SC pairs on ARM).
 *
 * <p>Through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, which exports and opens it to everyone: no JDK
 * internal is opened for it) at the buffer's address. The counting code makes some twenty accesses a call; a
 * {@code VarHandle} over the buffer checks bounds, alignment and liveness on each, which measured half as dear again
 * as the whole increment. Offsets are computed from a header that was checked against the buffer's size, so every
 * access stays inside it; the buffer is held here, so its memory lives as long as this object.
 */
final class Memory {
    private static final Unsafe UNSAFE = unsafe();
    private static final long ADDRESS = addressField();

    private final ByteBuffer buffer;
    private final long base;

    /** @param buffer direct or mapped, starting 8-byte aligned (a mapping starts on a page) */
    Memory(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("counter memory must be direct or mapped");
        }
        this.buffer = buffer;
        this.base = UNSAFE.getLong(buffer, ADDRESS);
        if ((base & (Long.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("counter memory must start 8-byte aligned");
        }
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
        return UNSAFE.getLongVolatile(null, base + offset);
    }

    boolean cas(long offset, long expected, long value) {
        return UNSAFE.compareAndSwapLong(null, base + offset, expected, value);
    }

    /** Adds and returns the new value. */
    long add(long offset, long delta) {
        return UNSAFE.getAndAddLong(null, base + offset, delta) + delta;
    }

    void write(long offset, long value) {
        UNSAFE.putLongVolatile(null, base + offset, value);
    }

    /**
     * Writes the scratch word at {@code offset} before a CAS on the same page. A shared page the kernel will not let
     * us write (the file was cut short, or made immutable, under us) faults on the first write: for a guarded store
     * the JVM turns that fault into an {@link InternalError} the caller handles, where a compare-and-swap run by the
     * interpreter would take the whole JVM down. After this store the page is writable (dirty) for the CAS.
     */
    void touch(long offset) {
        UNSAFE.putOrderedLong(null, base + offset, 0L); // ordered: no fence, and never left out
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

    private static Unsafe unsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true); // jdk.unsupported opens sun.misc
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            throw new ExceptionInInitializerError("sun.misc.Unsafe is not available: " + unavailable);
        }
    }

    private static long addressField() {
        try {
            return UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        } catch (NoSuchFieldException | RuntimeException unavailable) {
            throw new ExceptionInInitializerError("the address of a direct buffer is not readable: " + unavailable);
        }
    }
}
