package dev.policylayer.engine.counter;

/**
 * Settings Chronicle reads once, when its classes initialise; so this runs before the first Chronicle
 * class is touched. Chronicle's usage analytics would phone home and write files into the user's home:
 * disabled (and the analytics library is left out of the build). SLF4J, with no provider present, would
 * print three warning lines to stderr when Chronicle first logs: kept quiet unless the user set it.
 */
final class ChronicleSetup {
    private static final String LOCK_TIMEOUT = "net.openhft.chronicle.map.lockTimeoutSeconds";
    private static volatile boolean done;

    private ChronicleSetup() {
    }

    static void prepare() {
        if (done) {
            return;
        }
        System.setProperty("chronicle.analytics.disable", "true");
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // Chronicle would otherwise announce itself and its environment on first use; and it would start a
        // disk-space monitor thread for mapped files.
        if (System.getProperty("chronicle.announcer.disable") == null) {
            System.setProperty("chronicle.announcer.disable", "true");
        }
        if (System.getProperty("chronicle.disk.monitor.disable") == null) {
            System.setProperty("chronicle.disk.monitor.disable", "true");
        }
        // A lock left by a process that died on the cold path (the hot path takes no lock) would make every
        // new counter in that segment wait 60 s before failing; 5 s is plenty for a live holder.
        if (System.getProperty(LOCK_TIMEOUT) == null) {
            System.setProperty(LOCK_TIMEOUT, "5");
        }
        done = true;
    }
}
