package dev.policylayer.agent.gate;

/**
 * Hears every decision the gate makes. Called on the tool call's own thread, so implementations must be quick and
 * must never block or throw (the gate contains a throw anyway, and logs it once).
 */
public interface DecisionListener {
    DecisionListener NONE = decision -> { };

    void decided(DecisionRecord decision);
}
