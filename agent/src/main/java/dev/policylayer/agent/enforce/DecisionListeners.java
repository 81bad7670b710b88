package dev.policylayer.agent.enforce;

import java.util.List;

/** Several listeners as one; each is shielded from the others' failures. */
public final class DecisionListeners {

    private DecisionListeners() {
    }

    public static DecisionListener of(List<DecisionListener> listeners) {
        List<DecisionListener> all = listeners.stream().filter(l -> l != DecisionListener.NONE).toList();
        if (all.isEmpty()) {
            return DecisionListener.NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return decision -> {
            for (DecisionListener listener : all) {
                try {
                    listener.decided(decision);
                } catch (RuntimeException failure) {
                    dev.policylayer.agent.log.AgentLog.errorOnce("listener-" + listener.getClass().getName(),
                            "a decision listener failed", failure);
                }
            }
        };
    }
}
