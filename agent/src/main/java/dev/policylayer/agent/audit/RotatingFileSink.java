package dev.policylayer.agent.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends to the audit file; once it passes {@code maxBytes} it is renamed to {@code <file>.1} (replacing the
 * previous one) and a new file is started. So the audit never takes more than about twice {@code maxBytes}
 * of disk, and the newest lines are always in {@code <file>}.
 */
final class RotatingFileSink implements AuditSink {
    private final Path file;
    private final long maxBytes;
    private BufferedWriter out;
    private long size;

    RotatingFileSink(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    @Override
    public void write(String line) throws IOException {
        if (size >= maxBytes) {
            rotate();
        }
        out.write(line);
        out.write('\n');
        // Audit lines are ASCII apart from tool names; counting chars is close enough for a size cap.
        size += line.length() + 1;
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
