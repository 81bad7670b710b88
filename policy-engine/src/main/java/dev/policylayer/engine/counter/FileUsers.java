package dev.policylayer.engine.counter;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Who is using a counter file, through OS file locks on a small side file ({@code <file>.lock}), so that
 * a file left behind by a crashed process is repaired exactly when that is safe.
 *
 * <p>Chronicle's entry locks live in the mapped file: a process killed while holding one (on the cold
 * path: inserting or reclaiming a counter) leaves it held, and its pins stay counted. Chronicle's
 * recovery releases such locks but must only run while no other process has the file open. Every
 * process holds a shared lock on byte 1 while it uses the file; one that opens the file first takes an
 * exclusive lock on byte 0 (so openers go one at a time) and tries an exclusive lock on byte 1: if that
 * succeeds, nobody else is using the file and recovery is safe. The OS drops a dead process's locks.
 * Inside one JVM, stores of the same file share one registration (Java forbids overlapping locks).
 */
final class FileUsers {
    /** What the opener learned: whether it is alone with the file (recovery allowed). */
    interface Opener<T> {
        T open(boolean alone) throws IOException;
    }

    private static final Map<Path, FileUsers> REGISTERED = new HashMap<>();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock usersLock;
    private int stores;

    private FileUsers(Path lockFile, FileChannel channel, FileLock usersLock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.usersLock = usersLock;
    }

    /** Opens under the gate; returns what {@code opener} returned. Call {@link #leave} when done. */
    static <T> T enter(Path file, Opener<T> opener) throws IOException {
        synchronized (REGISTERED) {
            FileUsers users = REGISTERED.get(file);
            if (users != null) {
                T opened = opener.open(false); // this JVM already uses the file: never alone
                users.stores++;
                return opened;
            }
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
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
                    opened = opener.open(alone);
                } catch (IOException | RuntimeException | Error e) {
                    usersLock.release();
                    throw e;
                }
                users = new FileUsers(lockFile, channel, usersLock);
                users.stores = 1;
                REGISTERED.put(file, users);
                registered = true;
                return opened;
            } finally {
                if (!registered) {
                    channel.close();
                }
            }
        }
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

    @Override
    public String toString() {
        return "users of " + lockFile;
    }
}
