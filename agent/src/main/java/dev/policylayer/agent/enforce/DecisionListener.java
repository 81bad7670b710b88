package dev.policylayer.agent.enforce;

/**
 * Hears every decision the enforcer makes. Called on the tool call's own thread, so implementations must be
 * quick and must never block or throw (the enforcer contains a throw anyway, and logs it once).
 */
public interface DecisionListener {
    DecisionListener NONE = decision -> { };

    void decided(DecisionRecord decision);
}
