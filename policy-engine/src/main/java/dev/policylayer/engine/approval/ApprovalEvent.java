package dev.policylayer.engine.approval;

/**
 * Something that happened to an approval, for the audit and the webhook.
 *
 * @param type     what happened
 * @param approval the approval as it is after it
 */
public record ApprovalEvent(Type type, Approval approval) {

    public enum Type {
        /** A call asked for an approval that did not exist yet. */
        REQUESTED,
        /** An approval was given or refused (here, or seen for the first time by this process). */
        DECIDED,
        /** A call's approval had lapsed before it was used up. */
        EXPIRED,
        /** A call ran on one use of an approval. */
        USED
    }
}
