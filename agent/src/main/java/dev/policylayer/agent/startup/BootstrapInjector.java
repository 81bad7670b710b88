package dev.policylayer.agent.startup;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the bootstrap classes (the gate the inlined advice calls) on the boot class path, where every class
 * loader can see them. They travel inside the agent jar as a nested jar, outside its class path, so that
 * exactly one copy exists: the boot one.
 */
final class BootstrapInjector {
    static final String RESOURCE = "/META-INF/policylayer/bootstrap.jar";
    private static final String GATE = "dev.policylayer.bootstrap.ToolCallGate";

    private BootstrapInjector() {
    }

    /** Returns false when the gate was already on the boot class path (the agent was started before). */
    static boolean inject(Instrumentation instrumentation) throws IOException {
        if (onBootClassPath()) {
            return false;
        }
        Path jar = Files.createTempFile("policylayer-bootstrap-", ".jar");
        jar.toFile().deleteOnExit();
        try (InputStream in = BootstrapInjector.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        return true;
    }

    private static boolean onBootClassPath() {
        try {
            Class.forName(GATE, false, null);
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }
}
