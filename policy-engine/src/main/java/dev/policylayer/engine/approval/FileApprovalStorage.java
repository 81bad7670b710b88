package dev.policylayer.engine.approval;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Approvals in a file every process on the host (or sharing the file system) sees, surviving restarts: the
 * servers that ask, and the operator's {@code approvals} command that decides. An operation holds an exclusive
 * lock on {@code <file>.lock} (and a lock of this JVM's, which the OS lock does not give between threads), reads
 * the file, and replaces it whole (written beside it, then renamed over it) if it changed: a reader never sees
 * half a file, and a crash leaves the old one.
 */
public final class FileApprovalStorage implements ApprovalStorage {
    /** How long an operation waits for another process's lock before it gives up (and the call is denied). */
    static final long LOCK_WAIT_MILLIS = 5_000;
    private static final long MAX_BYTES = 16L * 1024 * 1024;

    private final Path file;
    private final Path lockFile;
    private final boolean mustExist;
    private final ReentrantLock local = new ReentrantLock();

    /**
     * @param mustExist for an operator's command: a file that does not exist is an error, not an empty store
     */
    public FileApprovalStorage(Path file, boolean mustExist) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.mustExist = mustExist;
    }

    @Override
    public <T> T locked(Change<T> change) throws ApprovalStoreException {
        if (mustExist && !Files.exists(file)) {
            throw new ApprovalStoreException("there is no approval store at " + file + " (a server creates it"
                    + " when a call first asks for approval)", true, null);
        }
        try {
            if (!local.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = acquire(channel)) {
            ApprovalBook book = new ApprovalBook(load());
            T result = change.apply(book);
            if (book.changed()) {
                save(book);
            }
            return result;
        } catch (AccessDeniedException denied) {
            throw new ApprovalStoreException("cannot write the approval store " + file + " (permission denied on "
                    + denied.getFile() + "): run as a user who can write it", true, denied);
        } catch (IOException unusable) {
            throw new ApprovalStoreException("the approval store " + file + " cannot be used (" + unusable + ")",
                    true, unusable);
        } finally {
            local.unlock();
        }
    }

    private FileLock acquire(FileChannel channel) throws IOException, ApprovalStoreException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException heldHere) {
                // another store object of this JVM on the same file: wait for it like for another process
            }
            if (System.nanoTime() - deadline >= 0) {
                throw busy();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw busy();
            }
        }
    }

    private ApprovalStoreException busy() {
        return new ApprovalStoreException("the approval store " + file + " stayed locked by another process for "
                + LOCK_WAIT_MILLIS + " ms", true, null);
    }

    private List<Approval> load() throws IOException, ApprovalStoreException {
        if (!Files.exists(file)) {
            return List.of();
        }
        if (!Files.isRegularFile(file)) {
            throw new ApprovalStoreException(file + " is not a regular file, so it is not an approval store", true,
                    null);
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new ApprovalStoreException("the approval store " + file + " is over " + MAX_BYTES + " bytes: it"
                    + " is not one this agent wrote", true, null);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (java.nio.charset.MalformedInputException notText) {
            throw new ApprovalStoreException("the approval store " + file + " is damaged: it is not UTF-8 text."
                    + " Calls that need approval are denied until it is fixed (it is never repaired)", true, notText);
        }
        return ApprovalJson.read(text, "the approval file " + file);
    }

    private void save(ApprovalBook book) throws IOException {
        Path written = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel out = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(StandardCharsets.UTF_8.encode(ApprovalJson.write(book.all())));
            out.force(true);
        }
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String describe() {
        return "approval file " + file;
    }
}
