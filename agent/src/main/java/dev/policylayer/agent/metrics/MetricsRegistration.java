package dev.policylayer.agent.metrics;

import dev.policylayer.agent.log.AgentLog;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Publishes the metrics as {@code dev.policylayer:type=Agent}. */
public final class MetricsRegistration {
    public static final String NAME = "dev.policylayer:type=Agent";

    private MetricsRegistration() {
    }

    /**
     * Registers on a daemon thread: the first touch of the platform MBean server loads much of JMX, which the
     * application's start-up should not wait for.
     */
    public static void registerInBackground(AgentMetrics metrics) {
        Thread thread = new Thread(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(metrics, new ObjectName(NAME));
            } catch (Exception | LinkageError failure) {
                AgentLog.warn("could not publish the agent's metrics as " + NAME + ": " + failure);
            }
        }, "policylayer-jmx");
        thread.setDaemon(true);
        thread.start();
    }
}
