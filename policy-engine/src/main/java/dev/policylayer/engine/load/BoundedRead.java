package dev.policylayer.engine.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a file the operator named, within {@link ReadLimits}: only a regular file (a symlink to one is fine), no
 * larger than the cap (checked before reading, and again while reading, since a file can grow), and on a reader
 * thread of its own, so that a read that never finishes (a FIFO swapped in after the check, a hung mount) costs a
 * bounded wait and a parked daemon thread, never the caller's thread.
 */
public final class BoundedRead {
    /** Reads still hanging past their timeout; beyond this many, new reads are refused rather than piled up. */
    private static final int MAX_HANGING = 4;
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread reader = new Thread(task, "policylayer-file-read");
        reader.setDaemon(true);
        return reader;
    });

    private BoundedRead() {
    }

    /** Why a file could not be read: a sentence, and what to do about it. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final String suggestion;

        Refused(String message, String suggestion) {
            super(message, null, false, false);
            this.suggestion = suggestion;
        }

        /** What to do, or null. */
        public String suggestion() {
            return suggestion;
        }
    }

    /**
     * The file's bytes.
     *
     * @param setting the setting that names the file and the one that caps it, for the messages
     * @throws Refused when it is not a regular file, is too large, cannot be read, or the read does not finish
     */
    public static byte[] read(Path file, ReadLimits limits, String setting, String capSetting) throws Refused {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException missing) {
            throw new Refused("file does not exist (resolved against the working directory: "
                    + file.toAbsolutePath() + ")", "check " + setting);
        } catch (IOException | SecurityException unreadable) {
            throw new Refused("file cannot be read: " + unreadable, null);
        }
        if (attributes.isDirectory()) {
            throw new Refused("is a directory, not a file", "point " + setting + " at the file itself");
        }
        if (!attributes.isRegularFile()) {
            throw new Refused("is not a regular file (a FIFO, a device or a socket): it is not read, since reading"
                    + " it might never end", "point " + setting + " at a regular file");
        }
        if (attributes.size() > limits.maxBytes()) {
            throw tooLarge(attributes.size(), limits, capSetting);
        }
        if (RUNNING.get() >= MAX_HANGING) {
            throw new Refused("is not read: " + MAX_HANGING + " earlier reads of files have not finished (a hung"
                    + " file system?)", null);
        }
        RUNNING.incrementAndGet();
        Future<byte[]> reading;
        try {
            reading = READERS.submit(() -> {
                try {
                    return readCapped(file, limits.maxBytes());
                } finally {
                    RUNNING.decrementAndGet();
                }
            });
        } catch (RuntimeException | OutOfMemoryError cannotStart) {
            RUNNING.decrementAndGet();
            throw new Refused("file cannot be read: " + cannotStart, null);
        }
        try {
            byte[] bytes = reading.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (bytes == null) {
                throw tooLarge(-1, limits, capSetting);
            }
            return bytes;
        } catch (TimeoutException slow) {
            reading.cancel(true);
            throw new Refused("could not be read within " + limits.timeout().toMillis() + " ms", "check the file"
                    + " system it is on, or raise policylayer.policy.read-timeout");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new Refused("reading it was interrupted", null);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof NoSuchFileException) {
                throw new Refused("file does not exist", "check " + setting);
            }
            if (cause instanceof AccessDeniedException) {
                throw new Refused("file cannot be read: permission denied",
                        "make it readable by the user running the JVM");
            }
            throw new Refused("file cannot be read: " + cause, null);
        }
    }

    private static Refused tooLarge(long size, ReadLimits limits, String capSetting) {
        return new Refused("file is " + (size < 0 ? "larger than " + limits.maxBytes() + " bytes" : size + " bytes")
                + ", more than the " + limits.maxBytes() + " bytes a policy file may have", "raise " + capSetting
                + " if this really is the file");
    }

    /** Up to {@code max} bytes; null when the file holds more. */
    private static byte[] readCapped(Path file, long max) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 16, max + 1);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(capacity, Math.max(4096, channel.size() + 1)));
            while (true) {
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() >= capacity) {
                        return null;
                    }
                    ByteBuffer larger = ByteBuffer.allocate((int) Math.min(capacity, (long) buffer.capacity() * 2));
                    buffer.flip();
                    larger.put(buffer);
                    buffer = larger;
                }
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
            if (buffer.position() > max) {
                return null;
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }
}
