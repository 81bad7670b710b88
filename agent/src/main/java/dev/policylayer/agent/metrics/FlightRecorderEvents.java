package dev.policylayer.agent.metrics;

import dev.policylayer.agent.enforce.DecisionListener;
import dev.policylayer.agent.enforce.DecisionRecord;

/**
 * Commits a {@link DecisionEvent} per decision while a recording has the event enabled. A runtime built
 * without the {@code jdk.jfr} module gets no listener at all rather than an error on the call path.
 */
public final class FlightRecorderEvents implements DecisionListener {

    private FlightRecorderEvents() {
    }

    /** The listener, or {@link DecisionListener#NONE} when this runtime has no flight recorder. */
    public static DecisionListener listener() {
        try {
            Class.forName("jdk.jfr.Event", false, ClassLoader.getSystemClassLoader());
            return new FlightRecorderEvents();
        } catch (ClassNotFoundException | LinkageError noFlightRecorder) {
            return DecisionListener.NONE;
        }
    }

    @Override
    public void decided(DecisionRecord decision) {
        DecisionEvent event = new DecisionEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.side = decision.side();
        event.tool = decision.tool();
        event.verdict = decision.verdict();
        event.rule = decision.rule();
        event.reason = decision.reason();
        event.enforced = decision.enforced();
        event.session = decision.session();
        event.argumentKeys = String.join(",", decision.argumentKeys());
        event.policyHash = decision.policyHash();
        event.latency = decision.latencyNanos();
        event.commit();
    }
}
