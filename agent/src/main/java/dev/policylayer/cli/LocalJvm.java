package dev.policylayer.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Another JVM of this host, reached through the JDK's attach mechanism: its system properties (where the agent
 * says whether it runs, and what it enforces), a diagnostic command, and loading the agent into it. Each failure
 * is a {@link Refused} whose message says what to do.
 */
final class LocalJvm implements AutoCloseable {
    private final long pid;
    private final VirtualMachine vm;

    /** Why a JVM cannot be reached or the agent not loaded into it. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private LocalJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    static LocalJvm attach(long pid) throws Refused {
        if (pid == ProcessHandle.current().pid()) {
            throw new Refused("process " + pid + " is this command itself", null);
        }
        ProcessHandle process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElseThrow(() ->
                new Refused("no process has the pid " + pid, null));
        String me = System.getProperty("user.name");
        String owner = process.info().user().orElse(null);
        if (owner != null && !owner.equals(me) && !"root".equals(me)) {
            throw new Refused("process " + pid + " runs as " + owner + ", not " + me + ": the JDK attaches only to"
                    + " a JVM of the same user; run this as " + owner + " (e.g. sudo -u " + owner + " java -jar"
                    + " policylayer.jar ...)", null);
        }
        try {
            return new LocalJvm(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException | IOException notAJvm) {
            throw new Refused("cannot attach to process " + pid + " (" + notAJvm.getMessage() + "): is it a JVM"
                    + " (a JDK or JRE of version 9 or later, not started with -XX:+DisableAttachMechanism)?", notAJvm);
        }
    }

    long pid() {
        return pid;
    }

    Properties properties() throws Refused {
        try {
            return vm.getSystemProperties();
        } catch (IOException unreachable) {
            throw new Refused("process " + pid + " did not answer (" + unreachable.getMessage() + ")", unreachable);
        }
    }

    /** Loads {@code jar} as an agent with {@code options}; the agent's own refusal is said in its words. */
    void loadAgent(String jar, String options) throws Refused {
        try {
            vm.loadAgent(jar, options);
        } catch (AgentInitializationException refused) {
            throw new Refused("the agent refused to start in process " + pid + " (see that process's stderr for"
                    + " why; with policylayer.fail=closed it does not run unenforced)", refused);
        } catch (AgentLoadException | IOException failed) {
            throw new Refused("the agent could not be loaded into process " + pid + " (" + failed.getMessage()
                    + ")", failed);
        }
    }

    /**
     * The output of the diagnostic command {@code command} ({@code jcmd <pid> <command>}), or null where this JDK
     * does not let the tool run one (the jar's manifest opens {@code sun.tools.attach} for it).
     */
    String diagnostic(String command) {
        try {
            Method execute = vm.getClass().getMethod("executeJCmd", String.class);
            execute.setAccessible(true);
            try (InputStream output = (InputStream) execute.invoke(vm, command)) {
                // read to the end: this stream may return 0 bytes before it ends, where readAllBytes would stop
                java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
                byte[] chunk = new byte[1 << 16];
                for (int n = output.read(chunk); n >= 0; n = output.read(chunk)) {
                    text.write(chunk, 0, n);
                }
                return text.toString(StandardCharsets.UTF_8);
            }
        } catch (ReflectiveOperationException | RuntimeException | IOException unavailable) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException alreadyGone) {
            // nothing to release
        }
    }
}
