package dev.policylayer.agent.startup;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.reload.Followed;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Watches the directories of the files the agent follows (the policy, the grants file, the grants' own policies)
 * on a daemon thread. An event for one of them (a save, or an editor's rename over it) is applied here at once,
 * so calls find the new policy ready and a changed hide list reaches clients without waiting for a call. Once a
 * second, event or not, every file's content is compared too: that catches what a watcher can miss (network file
 * systems, an edit that keeps time and size). Policies are still looked at by calls themselves (see
 * {@code LivePolicy}), so nothing depends on this thread.
 */
final class PolicyWatch {
    static final long PERIOD_MILLIS = 1000;

    private final Supplier<List<Followed>> followed;
    private final Map<Path, WatchKey> directories = new HashMap<>();
    private WatchService watcher;

    private PolicyWatch(Supplier<List<Followed>> followed) {
        this.followed = followed;
    }

    /** @param followed the files followed now (grants may name new policy files at any reload) */
    static void start(Supplier<List<Followed>> followed) {
        Thread watch = new Thread(new PolicyWatch(followed)::run, "policylayer-policy-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private void run() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException | RuntimeException unwatchable) {
            AgentLog.warn("cannot watch the policy files (" + unwatchable + "); edits are found by the next call, or"
                    + " within a second");
        }
        long nextFullCheck = System.nanoTime();
        while (true) {
            try {
                List<Followed> files = followed.get();
                register(files);
                if (watcher == null) {
                    Thread.sleep(PERIOD_MILLIS);
                } else {
                    List<Path> changed = changed(watcher.poll(PERIOD_MILLIS, TimeUnit.MILLISECONDS));
                    if (changed != null) {
                        for (Followed file : files) {
                            if (changed.isEmpty() || changed.contains(absolute(file))) {
                                file.checkContent();
                            }
                        }
                    }
                }
                // Due even while events keep coming for other files of the directory (a log written beside the
                // policy): an invalid edit is reported by a later look, once it has settled.
                if (System.nanoTime() - nextFullCheck >= 0) {
                    files.forEach(Followed::checkContent);
                    nextFullCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
                }
            } catch (InterruptedException | ClosedWatchServiceException stopped) {
                return;
            } catch (RuntimeException | LinkageError failure) {
                AgentLog.errorOnce("watch-" + failure.getClass().getName(), "could not check the policy files"
                        + " for edits; calls still check them", failure);
            }
        }
    }

    private void register(List<Followed> files) {
        if (watcher == null) {
            return;
        }
        for (Followed file : files) {
            Path directory = absolute(file).getParent();
            if (directory != null && !directories.containsKey(directory)) {
                try {
                    directories.put(directory, directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException | RuntimeException unwatchable) {
                    directories.put(directory, null);
                    AgentLog.warn("cannot watch " + directory + " (" + unwatchable + "); edits there are found by"
                            + " the next call, or within a second");
                }
            }
        }
    }

    private static Path absolute(Followed file) {
        return file.file().toAbsolutePath().normalize();
    }

    /**
     * The files the key (null after a timeout) has events for: null for none, empty for "any" (an overflow). The
     * key is reset either way.
     */
    private static List<Path> changed(WatchKey key) {
        if (key == null) {
            return null;
        }
        List<Path> changed = new java.util.ArrayList<>();
        boolean overflow = false;
        Path directory = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            overflow |= event.kind() == StandardWatchEventKinds.OVERFLOW;
            if (event.context() instanceof Path name) {
                changed.add(directory.resolve(name).toAbsolutePath().normalize());
            }
        }
        key.reset();
        return overflow ? List.of() : changed;
    }
}
