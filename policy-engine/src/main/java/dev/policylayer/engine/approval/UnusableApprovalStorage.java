package dev.policylayer.engine.approval;

/**
 * The store named by the settings cannot be used (a malformed URL, a store that failed to open): every operation
 * fails with the reason, so calls that need approval are denied saying why, and nothing is ever approved.
 */
public final class UnusableApprovalStorage implements ApprovalStorage {
    private final String why;

    public UnusableApprovalStorage(String why) {
        this.why = why;
    }

    @Override
    public <T> T locked(Change<T> change) throws ApprovalStoreException {
        throw new ApprovalStoreException("the approval store is unusable: " + why, true, null);
    }

    @Override
    public String describe() {
        return "unusable approval store (" + why + ")";
    }
}
