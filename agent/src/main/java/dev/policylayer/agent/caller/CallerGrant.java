package dev.policylayer.agent.caller;

import dev.policylayer.engine.reload.LivePolicy;

/**
 * Whose call this is: the grant its {@code grant}-scoped limits count against and the policy it is decided by; or,
 * for a caller no grant recognises, why it is denied {@code (no grant)}.
 *
 * @param label  the grant's label (what audit lines, metrics and counter keys name), or null when denied
 * @param policy the policy in force for the grant, or null when denied
 * @param denial why the caller has no grant, or null
 */
public record CallerGrant(String label, LivePolicy policy, String denial) {

    static CallerGrant of(String label, LivePolicy policy) {
        return new CallerGrant(label, policy, null);
    }

    static CallerGrant denied(String why) {
        return new CallerGrant(null, null, why);
    }

    public boolean isDenied() {
        return denial != null;
    }
}
