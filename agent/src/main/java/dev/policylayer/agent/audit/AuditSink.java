package dev.policylayer.agent.audit;

import java.io.IOException;

/** Where audit lines go: a file (rotated by size) or stderr. Used by the audit writer thread only. */
interface AuditSink extends AutoCloseable {

    /** Writes one line (without its newline). */
    void write(String line) throws IOException;

    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
