package dev.policylayer.agent.caller;

import dev.policylayer.engine.reload.LivePolicy;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The policies of grants that have their own ({@code grants.<label>.policy}), one {@link LivePolicy} per file,
 * opened the first time a caller of that grant calls (a grants reload can name a new file at any moment) and
 * followed like the main policy: an edit that does not validate keeps the grant on its last good policy. Several
 * grants naming one file share it. Every engine counts in the agent's one counter store.
 */
public final class GrantPolicies {
    private final Function<Path, LivePolicy> opener;
    private final ConcurrentHashMap<Path, LivePolicy> byFile = new ConcurrentHashMap<>();

    /** @param opener loads a grant's policy file (a fail-closed engine if it cannot be loaded) and follows it */
    public GrantPolicies(Function<Path, LivePolicy> opener) {
        this.opener = opener;
    }

    /** The policy of the file {@code file} (absolute, normalised), opened on first use. */
    LivePolicy of(Path file) {
        LivePolicy open = byFile.get(file);
        return open != null ? open : byFile.computeIfAbsent(file, opener);
    }

    /** Opens every file now (at start-up and after a grants reload), so a broken one is reported at once. */
    public void open(Collection<Path> files) {
        files.forEach(this::of);
    }

    /** Stops following files no grant names any more (after a grants reload). */
    public void keepOnly(Set<Path> files) {
        byFile.keySet().retainAll(files);
    }

    /** Every grant policy followed now, for the file watcher. */
    public List<LivePolicy> all() {
        return List.copyOf(byFile.values());
    }
}
