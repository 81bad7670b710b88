package dev.policylayer.engine.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What a policy file looks like from outside: modification time, size and identity (inode). An editor's
 * write-then-rename changes the identity, an in-place save the time or size. One {@code stat}, cheap enough to
 * take on every call, which is how an edit is applied "on the next call" without a watcher thread.
 *
 * @param modified modification time in nanoseconds, or -1 when the file cannot be seen
 * @param size     size in bytes, or -1
 * @param identity the file system's key for the file (may be null on file systems without one)
 */
record FileStamp(long modified, long size, Object identity) {
    static final FileStamp ABSENT = new FileStamp(-1, -1, null);

    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    attributes.size(), attributes.fileKey());
        } catch (IOException | SecurityException unreadable) {
            return ABSENT;
        }
    }

    boolean sameAs(FileStamp other) {
        return modified == other.modified && size == other.size && Objects.equals(identity, other.identity);
    }
}
