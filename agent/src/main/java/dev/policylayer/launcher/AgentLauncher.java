package dev.policylayer.launcher;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code -javaagent:policylayer.jar[=options]} and late attach. The only agent classes the application's class
 * loader can see are these few, JDK-only: they open the agent's own class loader ({@link AgentClassLoader}) and
 * hand over to the agent inside it.
 */
public final class AgentLauncher {
    private static final String AGENT_MAIN = "dev.policylayer.agent.AgentMain";

    private AgentLauncher() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) throws Exception {
        launch("premain", arguments, instrumentation);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) throws Exception {
        launch("agentmain", arguments, instrumentation);
    }

    private static void launch(String entry, String arguments, Instrumentation instrumentation) throws Exception {
        ClassLoader agent;
        try {
            agent = open();
        } catch (Exception | LinkageError broken) {
            if (!failsOpen(arguments)) {
                throw new IllegalStateException("[policylayer] the agent jar cannot be opened (" + broken
                        + ") and policylayer.fail=closed: refusing to run unenforced", broken);
            }
            System.err.println("[policylayer] ERROR: the agent jar cannot be opened (" + broken + "), so tool calls"
                    + " are NOT enforced (policylayer.fail=open)");
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(agent);
        try {
            Class.forName(AGENT_MAIN, true, agent).getMethod(entry, String.class, Instrumentation.class)
                    .invoke(null, arguments, instrumentation);
        } catch (InvocationTargetException failed) {
            // The agent refused to start unenforced (policylayer.fail=closed): let the JVM (or the attach) fail.
            Throwable cause = failed.getCause();
            throw cause instanceof Exception e ? e : new IllegalStateException(cause);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** Whether the user chose {@code policylayer.fail=open}, read the way the agent reads it (property, argument, environment). */
    private static boolean failsOpen(String arguments) {
        String property = System.getProperty("policylayer.fail");
        if (property != null) {
            return property.trim().equalsIgnoreCase("open");
        }
        if (arguments != null) {
            for (String part : arguments.split(",")) {
                if (part.trim().equalsIgnoreCase("fail=open") || part.trim().equalsIgnoreCase("policylayer.fail=open")) {
                    return true;
                }
            }
        }
        String environment = System.getenv("POLICYLAYER_FAIL");
        return environment != null && environment.trim().equalsIgnoreCase("open");
    }

    /** The agent's class loader over the jar this class came from. */
    static ClassLoader open() throws Exception {
        Path jar = thisJar();
        return new AgentClassLoader(jar);
    }

    private static Path thisJar() throws URISyntaxException {
        return Path.of(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
