package dev.policylayer.engine.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * 64-bit words of a counter table, at 8-byte aligned byte offsets of a direct or memory-mapped buffer, read and
 * written with volatile semantics and compare-and-swap. Each operation is one atomic instruction on the memory
 * itself, so it is atomic between threads and between processes that map the same file (lock cmpxchg / lock xadd
 * on x86; LSE or LL/SC pairs on ARM).
 *
 * <p>On JDK 17 to 22 through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, which exports and opens it to
 * everyone: no JDK internal is opened for it) at the buffer's address. The counting code makes some twenty accesses
 * a call; a {@code VarHandle} over the buffer checks bounds, alignment and liveness on each, which measured half as
 * dear again as the whole increment. Offsets are computed from a header that was checked against the buffer's size,
 * so every access stays inside it; the buffer is held here, so its memory lives as long as this object.
 *
 * <p>From JDK 23 on, {@code Unsafe}'s memory access is terminally deprecated (JEP 471): JDK 24 and later print a
 * warning into the application's stderr on its first use, and a later JDK refuses it. There the words go through a
 * {@link VarHandle} over the buffer. The choice is a constant, so the JIT keeps one path and drops the other.
 */
final class Memory {
    private static final boolean RAW = Runtime.version().feature() < 23;
    private static final Unsafe UNSAFE = RAW ? unsafe() : null;
    private static final long ADDRESS = RAW ? addressField() : -1;
    private static final VarHandle WORDS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final long base;

    /** @param buffer direct or mapped, starting 8-byte aligned (a mapping starts on a page) */
    Memory(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("counter memory must be direct or mapped");
        }
        this.buffer = buffer;
        this.base = RAW ? UNSAFE.getLong(buffer, ADDRESS) : 0;
        if (RAW && (base & (Long.BYTES - 1)) != 0) {
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
        return RAW ? UNSAFE.getLongVolatile(null, base + offset) : (long) WORDS.getVolatile(buffer, (int) offset);
    }

    boolean cas(long offset, long expected, long value) {
        return RAW ? UNSAFE.compareAndSwapLong(null, base + offset, expected, value)
                : WORDS.compareAndSet(buffer, (int) offset, expected, value);
    }

    /** Adds and returns the new value. */
    long add(long offset, long delta) {
        return (RAW ? UNSAFE.getAndAddLong(null, base + offset, delta)
                : (long) WORDS.getAndAdd(buffer, (int) offset, delta)) + delta;
    }

    void write(long offset, long value) {
        if (RAW) {
            UNSAFE.putLongVolatile(null, base + offset, value);
        } else {
            WORDS.setVolatile(buffer, (int) offset, value);
        }
    }

    /**
     * Writes the scratch word at {@code offset} before a CAS on the same page. A shared page the kernel will not let
     * us write (the file was cut short, or made immutable, under us) faults on the first write: for a guarded store
     * the JVM turns that fault into an {@link InternalError} the caller handles, where a compare-and-swap run by the
     * interpreter would take the whole JVM down. After this store the page is writable (dirty) for the CAS.
     */
    void touch(long offset) {
        // ordered (release): no fence, and never left out
        if (RAW) {
            UNSAFE.putOrderedLong(null, base + offset, 0L);
        } else {
            WORDS.setRelease(buffer, (int) offset, 0L);
        }
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
