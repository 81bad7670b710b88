package dev.policylayer.engine.reload;

import java.nio.file.Path;

/** A file the agent follows (a policy, a grants file): what its watcher needs of it. */
public interface Followed {
    /** The file, or null when nothing is followed. */
    Path file();

    /**
     * Reads the file and applies it if its content differs from what is in force; reports an invalid content that
     * has stood long enough. Never throws for what the file holds.
     */
    void checkContent();
}
