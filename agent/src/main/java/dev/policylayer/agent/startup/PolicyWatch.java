package dev.policylayer.agent.startup;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.reload.LivePolicy;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the policy file's directory on a daemon thread. An event for the file (a save, or an editor's
 * rename over it) is applied here at once, so calls find the new policy ready and a changed hide list
 * reaches clients without waiting for a call. Once a second, event or not, the file's content is compared
 * too: that catches what a watcher can miss (network file systems, an edit that keeps time and size).
 * Calls still look at the file themselves (see {@link LivePolicy}), so nothing depends on this thread.
 */
final class PolicyWatch {
    static final long PERIOD_MILLIS = 1000;

    private PolicyWatch() {
    }

    static void start(LivePolicy live) {
        Thread watch = new Thread(() -> run(live), "policylayer-policy-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static void run(LivePolicy live) {
        Path file = live.file().toAbsolutePath();
        WatchService watcher = null;
        try {
            watcher = FileSystems.getDefault().newWatchService();
            file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException unwatchable) {
            AgentLog.warn("cannot watch " + file.getParent() + " (" + unwatchable + "); policy edits are found by"
                    + " the next call, or within a second");
            watcher = null;
        }
        while (true) {
            try {
                if (watcher == null) {
                    Thread.sleep(PERIOD_MILLIS);
                } else if (aboutTheFile(watcher.poll(PERIOD_MILLIS, TimeUnit.MILLISECONDS), file)) {
                    live.fileChanged();
                    live.current();
                    continue;
                }
                live.checkContent();
            } catch (InterruptedException | ClosedWatchServiceException stopped) {
                return;
            } catch (RuntimeException | LinkageError failure) {
                AgentLog.errorOnce("watch-" + failure.getClass().getName(), "could not check the policy file"
                        + " for edits; calls still check it", failure);
            }
        }
    }

    /** Whether the key (null after a timeout) holds an event for {@code file}; the key is reset either way. */
    private static boolean aboutTheFile(WatchKey key, Path file) {
        if (key == null) {
            return false;
        }
        boolean about = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            Object name = event.context();
            about |= event.kind() == StandardWatchEventKinds.OVERFLOW
                    || (name instanceof Path changed && changed.equals(file.getFileName()));
        }
        key.reset();
        return about;
    }
}
