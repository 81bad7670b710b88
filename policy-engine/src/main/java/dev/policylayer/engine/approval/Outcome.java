package dev.policylayer.engine.approval;

/**
 * What the store says about a call that needs approval.
 *
 * @param kind     consumed (the call may run: one use was taken), pending, or denied
 * @param approval the approval concerned
 */
public record Outcome(Kind kind, Approval approval) {

    public enum Kind {
        /** One use of an approval was taken for this call: it may run. */
        CONSUMED,
        /** Waiting for a decision (newly requested or already pending). */
        PENDING,
        /** An operator denied this exact call. */
        DENIED
    }
}
