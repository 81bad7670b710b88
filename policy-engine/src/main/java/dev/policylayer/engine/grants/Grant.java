package dev.policylayer.engine.grants;

import java.nio.file.Path;
import java.util.Set;

/**
 * One caller of a server (an agent, a team, a CI runner) and how the agent recognises it: the SHA-256 of its bearer
 * tokens (never the tokens), the principals the application authenticated it as, or the values a trusted proxy puts
 * in a header. Its grant-scoped limits count for it alone; its policy is its own when {@code policy} is set.
 *
 * @param label        the grant's name: what audit lines, metrics and counter keys say
 * @param tokenHashes  lower-case hex SHA-256 of each bearer token
 * @param principals   principal names
 * @param headerValues header values
 * @param policy       its own policy file (resolved against the grants file), or null for the main policy
 */
public record Grant(String label, Set<String> tokenHashes, Set<String> principals, Set<String> headerValues,
                    Path policy) {
    public Grant {
        tokenHashes = Set.copyOf(tokenHashes);
        principals = Set.copyOf(principals);
        headerValues = Set.copyOf(headerValues);
    }
}
