package dev.policylayer.agent.audit;

import java.io.PrintStream;

/** {@code policylayer.audit=stderr}: one JSON object per line, unprefixed, so the lines stay parseable. */
final class StderrSink implements AuditSink {
    /** Captured when the audit starts, like the agent's log: an app that swaps System.err does not divert it. */
    private final PrintStream err = System.err;

    @Override
    public void write(String line) {
        err.println(line);
    }

    @Override
    public void flush() {
        err.flush();
    }

    @Override
    public void close() {
        err.flush();
    }
}
