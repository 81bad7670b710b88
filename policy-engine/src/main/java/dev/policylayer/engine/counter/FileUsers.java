package dev.policylayer.engine.counter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Who is using a counter file, through OS file locks on a small side file ({@code <file>.lock}), and which counter
 * file they use.
 *
 * <p>Every process holds a shared lock on byte 1 while it uses the file; one that opens the file takes an
 * exclusive lock on byte 0 first (so openers go one at a time) and tries an exclusive lock on byte 1: if that
 * succeeds, nobody else is using the file. The OS drops a dead process's locks. The side file also records the
 * identity of the counter file its users share (8 bytes at offset 8): a counter file that is missing, emptied or
 * replaced while such a record exists held counts that are gone, and is not silently started afresh. Inside one
 * JVM, stores of the same file share one registration (Java forbids overlapping locks).
 */
final class FileUsers {
    /** What the opener learns, and how it records the identity of the file it opened. */
    interface Opener<T> {
        T open(boolean alone, Record record) throws IOException;
    }

    /** The identity the users of the file recorded: 0 when none (no counter file has been used). */
    interface Record {
        long identity() throws IOException;

        void identity(long identity) throws IOException;
    }

    private static final long RECORD_AT = 8;
    private static final Map<Path, FileUsers> REGISTERED = new HashMap<>();

    private final FileChannel channel;
    private final FileLock usersLock;
    private int stores;

    private FileUsers(FileChannel channel, FileLock usersLock) {
        this.channel = channel;
        this.usersLock = usersLock;
    }

    static Path lockFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /** Opens under the gate; returns what {@code opener} returned. Call {@link #leave} when done. */
    static <T> T enter(Path file, Opener<T> opener) throws IOException {
        synchronized (REGISTERED) {
            FileUsers users = REGISTERED.get(file);
            if (users != null) {
                T opened = opener.open(false, record(users.channel)); // this JVM already uses the file: never alone
                users.stores++;
                return opened;
            }
            FileChannel channel = FileChannel.open(lockFile(file), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            boolean registered = false;
            try (FileLock gate = channel.lock(0, 1, false)) {
                boolean alone;
                try (FileLock sole = channel.tryLock(1, 1, false)) {
                    alone = sole != null;
                }
                FileLock usersLock = channel.lock(1, 1, true);
                T opened;
                try {
                    opened = opener.open(alone, record(channel));
                } catch (IOException | RuntimeException | Error e) {
                    usersLock.release();
                    throw e;
                }
                REGISTERED.put(file, users = new FileUsers(channel, usersLock));
                users.stores = 1;
                registered = true;
                return opened;
            } finally {
                if (!registered) {
                    channel.close();
                }
            }
        }
    }

    /**
     * For {@code counters reset}: when nobody uses the file, runs {@code reset} under the gate and forgets the
     * recorded identity. Returns false (and runs nothing) when a process still uses it.
     */
    static boolean whenUnused(Path file, IoAction reset) throws IOException {
        synchronized (REGISTERED) {
            if (REGISTERED.containsKey(file)) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(lockFile(file), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock gate = channel.lock(0, 1, false);
                 FileLock sole = channel.tryLock(1, 1, false)) {
                if (sole == null) {
                    return false;
                }
                reset.run();
                record(channel).identity(0);
                return true;
            }
        }
    }

    /** Something done to the files that may fail. */
    interface IoAction {
        void run() throws IOException;
    }

    private static Record record(FileChannel channel) {
        return new Record() {
            @Override
            public long identity() throws IOException {
                ByteBuffer word = ByteBuffer.allocate(Long.BYTES);
                int read = channel.read(word, RECORD_AT);
                return read < Long.BYTES ? 0 : word.flip().getLong();
            }

            @Override
            public void identity(long identity) throws IOException {
                channel.write(ByteBuffer.allocate(Long.BYTES).putLong(identity).flip(), RECORD_AT);
                channel.force(false);
            }
        };
    }

    static void leave(Path file) {
        synchronized (REGISTERED) {
            FileUsers users = REGISTERED.get(file);
            if (users == null || --users.stores > 0) {
                return;
            }
            REGISTERED.remove(file);
            try {
                users.usersLock.release();
                users.channel.close();
            } catch (IOException e) {
                // The OS releases the lock with the channel or the process; nothing else to do.
            }
        }
    }
}
