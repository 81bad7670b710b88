package dev.policylayer.engine.load;

import dev.policylayer.engine.policy.Policy;

/** A loaded policy: the model plus what start-up lines and audit records say about it. */
public record EffectivePolicy(Policy policy, String source, String hash, int ruleCount) implements LoadedPolicy {

    @Override
    public boolean hasLimits() {
        return policy.hasLimits();
    }
}
