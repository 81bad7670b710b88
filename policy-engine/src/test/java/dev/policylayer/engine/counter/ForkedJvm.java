package dev.policylayer.engine.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a child JVM on the test classpath: no module flags, none are needed. */
final class ForkedJvm {
    private ForkedJvm() {
    }

    static Process start(Path dir, String name, String mainClass, String... args) throws Exception {
        return start(dir, name, List.of(), mainClass, args);
    }

    static Process start(Path dir, String name, List<String> extraJvmArgs, String mainClass, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(extraJvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }

    static void awaitSuccess(Process process, Path dir, String name) throws Exception {
        boolean done = process.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        assertTrue(done, name + " did not finish");
        assertEquals(0, process.exitValue(), name + " failed:\n" + Files.readString(dir.resolve(name + ".err")));
    }

    static String stdout(Path dir, String name) throws Exception {
        return Files.readString(dir.resolve(name + ".out"));
    }

    static String stderr(Path dir, String name) throws Exception {
        return Files.readString(dir.resolve(name + ".err"));
    }
}
