package dev.policylayer.engine.counter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What an operator does to a shared counter file as a whole. */
public final class CounterFiles {

    private CounterFiles() {
    }

    /**
     * Deletes the counter file and forgets that processes counted in it, so that the next process starts every
     * limit from zero: the operator's confirmation that the counts it held may be handed out again.
     *
     * @return false, having changed nothing, when a process still uses the file
     */
    public static boolean reset(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        return FileUsers.whenUnused(path, () -> Files.deleteIfExists(path));
    }
}
