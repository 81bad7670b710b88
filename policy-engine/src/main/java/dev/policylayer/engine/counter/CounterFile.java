package dev.policylayer.engine.counter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;

/**
 * Opens, or creates, the file of a counter table every JVM on the host shares, and refuses any file whose counts
 * could not be trusted, saying why and what to do.
 *
 * <ul>
 *   <li>A new file is written in full beside the real one (every block allocated: a full disk is found now, not as
 *       a fault in the middle of counting), laid out, and renamed into place: the path never holds half a table.</li>
 *   <li>A file whose header is not a table's (zeroed, another program's), that is shorter than its header says or
 *       has lost its end mark (cut short, even if grown back since), or that is not the file its users recorded
 *       (replaced) is refused.</li>
 *   <li>A file that is missing or empty while its users recorded one (deleted or emptied while processes counted in
 *       it) is refused too: starting afresh would hand out again what was already counted. The operator confirms a
 *       reset with {@code java -jar policylayer.jar counters reset <file>} once those processes are stopped.</li>
 * </ul>
 */
final class CounterFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The opened file: its mapped table and what the running store checks against. */
    record Opened(CounterTable table, Object fileKey, long size) {
    }

    private CounterFile() {
    }

    /** Called by {@link FileUsers#enter} under its gate. */
    static Opened open(Path path, int maxKeys, boolean alone, FileUsers.Record record, ColdLock.Recovered recovered)
            throws IOException {
        long recorded = record.identity();
        boolean present = Files.exists(path);
        long size = present ? Files.size(path) : 0;
        if (size == 0) {
            if (recorded != 0) {
                throw new CounterStoreOpenException("counter file " + path + " is " + (present ? "empty" : "missing")
                        + ", but processes counted in it (" + FileUsers.lockFile(path).getFileName() + " records it):"
                        + " its counts are gone, and starting from zero would hand them out again. Stop every process"
                        + " using it, then run: java -jar policylayer.jar counters reset " + path, null);
            }
            Opened created = create(path, maxKeys, recovered);
            record.identity(created.table().identity());
            return created;
        }
        ByteBuffer header = ByteBuffer.allocate(CounterTable.HEADER_BYTES);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read the whole header
            }
        }
        header.flip();
        long identity = CounterTable.identityOf(header);
        if (identity == 0) {
            throw new CounterStoreOpenException(path + " is not a counter file (empty, damaged, zeroed, or another"
                    + " program's)" + (alone ? "" : " and other processes still use the file by this name") + ". "
                    + resetAdvice(path), null);
        }
        long expected = CounterTable.expectedBytes(header);
        if (size < expected) {
            throw new CounterStoreOpenException("counter file " + path + " was cut short (" + size + " of " + expected
                    + " bytes); its counts are lost. " + resetAdvice(path), null);
        }
        if (size != expected) {
            throw new CounterStoreOpenException(path + " is not a counter file of this version. " + resetAdvice(path),
                    null);
        }
        if (recorded != 0 && recorded != identity) {
            throw new CounterStoreOpenException("counter file " + path + " is not the one its users counted in (it was"
                    + " replaced): their counts would be lost. " + resetAdvice(path), null);
        }
        CounterTable table = CounterTable.attach(map(path, size), recovered, "counter file " + path);
        if (!table.endIntact()) {
            // Cut short after the size check above: the map grew it back with zeros, so its counters are gone.
            throw new CounterStoreOpenException("counter file " + path + " was cut short (its end is gone, though it"
                    + " is full size again); its counts are lost. " + resetAdvice(path), null);
        }
        if (alone) {
            table.clearPins(); // only a dead process's pins can be left
        }
        if (recorded == 0) {
            record.identity(identity);
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new Opened(table, attributes.fileKey(), size); // the size mapped: a later cut must show as shorter
    }

    static String resetAdvice(Path path) {
        return "Stop every process using it, then run: java -jar policylayer.jar counters reset " + path
                + " (limits start again from zero)";
    }

    private static Opened create(Path path, int maxKeys, ColdLock.Recovered recovered) throws IOException {
        long bytes = CounterTable.bytesFor(CounterTable.slotsFor(maxKeys));
        Path temp = path.resolveSibling(path.getFileName() + ".new-" + ProcessHandle.current().pid());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
                for (long written = 0; written < bytes; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - written));
                    written += channel.write(zeros, written);
                }
                channel.force(true);
            }
            Memory memory = map(temp, bytes);
            long identity;
            do {
                identity = RANDOM.nextLong();
            } while (identity == 0);
            CounterTable table = CounterTable.format(memory, maxKeys, identity, recovered);
            ((MappedByteBuffer) memory.buffer()).force();
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException noAtomicRename) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Opened(table, attributes.fileKey(), bytes);
        } catch (IOException | RuntimeException failed) {
            Files.deleteIfExists(temp);
            throw new CounterStoreOpenException("cannot create counter file " + path + " (" + failed.getMessage()
                    + "): is the disk full, or the directory not writable?", failed);
        }
    }

    private static Memory map(Path path, long bytes) throws IOException {
        if (bytes > Integer.MAX_VALUE) {
            throw new CounterStoreOpenException("counter file " + path + " would be " + bytes + " bytes, more than one"
                    + " mapping holds; lower policylayer.counters.keys", null);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new Memory(channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes));
        }
    }

    /** A read-only view, for listing while the agent's JVMs run: nothing is ever written through it. */
    static CounterTable mapReadOnly(Path path) throws IOException {
        long size = Files.size(path);
        if (size < CounterTable.HEADER_BYTES || size > Integer.MAX_VALUE) {
            throw new CounterStoreOpenException(path + " is not a counter file", null);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            Memory memory = new Memory(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
            CounterTable table = CounterTable.attach(memory, pid -> { }, "counter file " + path);
            if (!table.endIntact()) {
                throw new CounterStoreOpenException("counter file " + path + " was cut short; its counts are lost",
                        null);
            }
            return table;
        }
    }
}
