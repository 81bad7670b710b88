package dev.policylayer.agent.metrics;

import dev.policylayer.agent.gate.DecisionListener;
import dev.policylayer.agent.gate.DecisionRecord;
import jdk.jfr.FlightRecorder;

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
        // Loading an event class makes the JVM set up the recorder's machinery (a few hundred milliseconds,
        // on the first call): leave it unloaded until a recording has started.
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        DecisionEvent.commit(decision); // its own class: verifying this one must not load the event
    }
}
