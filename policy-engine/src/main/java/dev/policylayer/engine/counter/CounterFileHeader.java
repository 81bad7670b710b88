package dev.policylayer.engine.counter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A quick look at an existing file before Chronicle maps it. Chronicle treats a file whose header it cannot
 * read as one another process is still initialising, and waits a minute for it: a stray, zeroed or truncated
 * file would stall the opener that long. A Chronicle Map file opens with its own description in YAML; a file
 * without it is refused at once, with a message that says what to do.
 */
final class CounterFileHeader {
    /** Enough to hold the class name Chronicle writes near the start, with some room for its framing. */
    private static final int PEEK = 512;
    private static final String MARKER = "chronicle.map.VanillaChronicleMap";

    private CounterFileHeader() {
    }

    /** Throws unless {@code path} (existing, non-empty) starts like a Chronicle Map file. */
    static void check(Path path) {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(PEEK);
        } catch (IOException unreadable) {
            throw new CounterStoreOpenException("cannot read counter file " + path + ": " + unreadable, unreadable);
        }
        if (!new String(head, StandardCharsets.ISO_8859_1).contains(MARKER)) {
            throw new CounterStoreOpenException(path + " is not a counter file (empty, damaged, or another"
                    + " program's). If no process is using it, delete it; it is created again on the next start.",
                    null);
        }
    }
}
