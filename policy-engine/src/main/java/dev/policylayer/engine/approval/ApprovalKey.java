package dev.policylayer.engine.approval;

/**
 * The one call an approval is for: the grant that makes it, the tool, and the SHA-256 of its arguments in
 * canonical JSON ({@link Fingerprint}). Any other argument is another call, and needs its own approval.
 */
public record ApprovalKey(String grant, String tool, String fingerprint) {
}
