package dev.policylayer.agent.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keeps the audit out of the process's standard output, which a stdio MCP server uses for JSON-RPC: refused by
 * name ({@code stdout}, {@code /dev/stdout}, {@code /dev/fd/1}, {@code /proc/self/fd/1}) and by identity (a path
 * that is the same file as descriptor 1, by device and inode, such as a file the process's stdout is redirected
 * to).
 */
final class StandardOutput {
    private static final Path FD_1 = Path.of("/proc/self/fd/1");

    private StandardOutput() {
    }

    /** {@code target} as a path, or an IOException saying why it may not be the audit. */
    static Path refuse(String target) throws IOException {
        String name = target.trim();
        if (name.toLowerCase(Locale.ROOT).equals("stdout")) {
            throw new IOException("policylayer.audit=stdout is not supported: standard output carries a stdio MCP"
                    + " server's JSON-RPC; use policylayer.audit=stderr or a file");
        }
        Path path = Path.of(name);
        if (isStandardOutput(path)) {
            throw new IOException(name + " is this process's standard output, which carries a stdio MCP server's"
                    + " JSON-RPC; use policylayer.audit=stderr or a file");
        }
        return path;
    }

    private static boolean isStandardOutput(Path path) {
        String text = path.normalize().toString();
        if (text.equals("/dev/stdout") || text.equals("/dev/fd/1") || text.equals("/proc/self/fd/1")
                || text.matches("/proc/" + ProcessHandle.current().pid() + "/fd/1")) {
            return true;
        }
        try {
            return Files.exists(path) && Files.exists(FD_1) && Files.isSameFile(path, FD_1);
        } catch (IOException | SecurityException cannotTell) {
            return false;
        }
    }
}
