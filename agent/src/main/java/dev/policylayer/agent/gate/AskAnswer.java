package dev.policylayer.agent.gate;

/** What the person at the client answered when asked whether a call may run. */
public enum AskAnswer {
    ACCEPTED,
    DECLINED,
    CANCELLED
}
