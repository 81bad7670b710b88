package dev.policylayer.agent;

import dev.policylayer.agent.startup.AgentStartup;
import java.lang.instrument.Instrumentation;

/**
 * {@code -javaagent:policylayer.jar[=options]} and late attach. Everything happens in {@link AgentStartup},
 * which never lets a failure reach the host application.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        AgentStartup.start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        AgentStartup.start(arguments, instrumentation, true);
    }
}
