package dev.policylayer.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package, which {@code ./mvnw} installs when it is missing) started by a test
 * on a free loopback port, in a temporary directory, with nothing persisted, and stopped by {@link #close()}. It can be
 * stopped and started again on the same port, frozen ({@code SIGSTOP}) and thawed, and sent commands.
 */
public final class RedisServer implements AutoCloseable {
    private static final long READY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private RedisServer(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = options;
    }

    /** Starts a server; {@code options} are more {@code redis-server} arguments ({@code --requirepass}, ...). */
    public static RedisServer start(String... options) throws IOException, InterruptedException {
        RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("redis-"), List.of(options));
        server.startProcess();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, with {@code userInfo@} before the host when given. */
    public String url(String userInfo) {
        return "redis://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port;
    }

    public String url() {
        return url(null);
    }

    /** Stops the server (its data goes: nothing is persisted), leaving the port free to start it again. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Starts it again on the same port. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    /** Freezes the server: connections stay up, nothing is answered. */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    /** Sends one command (with the server's default user, or after {@code AUTH} when a password is given). */
    public String command(String... words) throws IOException {
        return send(words);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        String binary = findBinary();
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--logfile",
                dir.resolve("redis.log").toString()));
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        long deadline = System.nanoTime() + READY_NANOS;
        while (true) {
            try {
                send("PING"); // any answer (PONG, or NOAUTH for a server with a password) means it is up
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server ended at start: "
                            + Files.readString(dir.resolve("redis.out")) + readLog());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not answer within a minute: " + readLog());
                }
                Thread.sleep(20);
            }
        }
    }

    private String readLog() throws IOException {
        Path log = dir.resolve("redis.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String findBinary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not installed: ./mvnw installs Debian's redis-server package"
                + " when it runs as root on a machine that lacks it; elsewhere install Redis 7 yourself");
    }

    private void signal(String which) throws IOException, InterruptedException {
        new ProcessBuilder("kill", which, Long.toString(process.pid())).start().waitFor();
    }

    /** One command in RESP, over a short-lived connection; returns the reply's first line. */
    private String send(String... words) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() == 0) {
                throw new IOException("no answer");
            }
            return line.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
