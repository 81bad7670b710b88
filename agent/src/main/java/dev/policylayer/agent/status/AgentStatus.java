package dev.policylayer.agent.status;

import dev.policylayer.engine.PolicyEngine;
import java.util.List;

/**
 * What the agent says about itself to a process that attaches to this JVM ({@code java -jar policylayer.jar
 * attach} and {@code jvms}): three system properties, readable through the JDK's attach mechanism without loading
 * anything into the application. No secret is ever among them.
 */
public final class AgentStatus {
    /** {@code running} once an agent started in this JVM. */
    public static final String STATE = "policylayer.agent.state";
    /** Where the policy in force came from (a file, inline, the properties), or why there is none. */
    public static final String POLICY = "policylayer.agent.policy";
    /** The choke points instrumented so far, separated by {@code "; "}. */
    public static final String CHOKE_POINTS = "policylayer.agent.chokepoints";

    private AgentStatus() {
    }

    public static void running() {
        set(STATE, "running");
    }

    public static void policy(PolicyEngine engine) {
        set(POLICY, engine == null || engine.policy() == null ? "(no valid policy)" : engine.policy().source());
    }

    public static void policyFailed(String why) {
        set(POLICY, "(could not be loaded: " + why + ")");
    }

    public static void chokePoints(List<String> instrumented) {
        set(CHOKE_POINTS, String.join("; ", instrumented));
    }

    private static void set(String key, String value) {
        try {
            System.setProperty(key, value);
        } catch (RuntimeException refused) {
            // a security manager that forbids it: attaching operators then learn less, nothing else changes
        }
    }
}
