package dev.policylayer.engine.approval;

/**
 * The approval store cannot be used (unreadable, damaged, not an approval store, locked too long, not writable),
 * or an operation on it makes no sense (an unknown, expired or already decided id). The message says which, and
 * what to do; it never names an argument value.
 */
public final class ApprovalStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether the store itself failed (calls that need approval are then denied), not the operation. */
    private final boolean storeFailed;

    public ApprovalStoreException(String message, boolean storeFailed, Throwable cause) {
        super(message, cause);
        this.storeFailed = storeFailed;
    }

    public static ApprovalStoreException refused(String message) {
        return new ApprovalStoreException(message, false, null);
    }

    public boolean storeFailed() {
        return storeFailed;
    }
}
