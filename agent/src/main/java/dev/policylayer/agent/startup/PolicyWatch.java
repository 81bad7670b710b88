package dev.policylayer.agent.startup;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.reload.LivePolicy;

/**
 * Looks at the policy file once a second even when no call comes: a changed hide list reaches clients
 * promptly, and an edit that left the file's time and size alone is still found by its content. Calls check
 * the file themselves, so this is never what makes an edit take effect "on the next call".
 */
final class PolicyWatch {
    static final long PERIOD_MILLIS = 1000;

    private PolicyWatch() {
    }

    static void start(LivePolicy live) {
        Thread watch = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PERIOD_MILLIS);
                    live.checkContent();
                } catch (InterruptedException interrupted) {
                    return;
                } catch (RuntimeException | LinkageError failure) {
                    AgentLog.errorOnce("watch-" + failure.getClass().getName(), "could not check the policy file"
                            + " for edits; calls still check it", failure);
                }
            }
        }, "policylayer-policy-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
