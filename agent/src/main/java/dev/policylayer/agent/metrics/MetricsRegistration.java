package dev.policylayer.agent.metrics;

import dev.policylayer.agent.log.AgentLog;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Publishes the metrics as {@code dev.policylayer:type=Agent}, and the agent's other MBeans. */
public final class MetricsRegistration {
    public static final String NAME = "dev.policylayer:type=Agent";

    private MetricsRegistration() {
    }

    /**
     * The first touch of the platform MBean server loads much of JMX: a couple of hundred milliseconds of CPU
     * that would compete with the application's own start-up. Unless the JVM starts a JMX agent anyway, the
     * MBean is registered this long after the agent starts.
     */
    static final long DELAY_MILLIS = 3000;

    /** Registers on a daemon thread, at once when the JVM runs a JMX agent, else after {@link #DELAY_MILLIS}. */
    public static void registerInBackground(AgentMetrics metrics) {
        registerInBackground(java.util.Map.of(NAME, metrics));
    }

    /** Registers each bean under its name (the metrics, the approvals' operations), as above. */
    public static void registerInBackground(java.util.Map<String, Object> beans) {
        boolean jmxAgent = System.getProperty("com.sun.management.jmxremote") != null
                || System.getProperty("com.sun.management.jmxremote.port") != null;
        Thread thread = new Thread(() -> {
            try {
                if (!jmxAgent) {
                    Thread.sleep(DELAY_MILLIS);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return;
            }
            beans.forEach((name, bean) -> {
                try {
                    ManagementFactory.getPlatformMBeanServer().registerMBean(bean, new ObjectName(name));
                } catch (Exception | LinkageError failure) {
                    AgentLog.warn("could not publish " + name + " on JMX: " + failure);
                }
            });
        }, "policylayer-jmx");
        thread.setDaemon(true);
        thread.start();
    }
}
