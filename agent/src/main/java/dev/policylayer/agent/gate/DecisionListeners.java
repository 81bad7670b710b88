package dev.policylayer.agent.gate;

import dev.policylayer.agent.log.AgentLog;
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
        DecisionListener[] each = all.toArray(new DecisionListener[0]);
        return decision -> {
            for (DecisionListener listener : each) {
                try {
                    listener.decided(decision);
                } catch (RuntimeException failure) {
                    AgentLog.errorOnce("listener-" + listener.getClass().getName(), "a decision listener failed",
                            failure);
                }
            }
        };
    }
}
