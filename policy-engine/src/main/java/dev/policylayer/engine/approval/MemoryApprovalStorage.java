package dev.policylayer.engine.approval;

import java.util.ArrayList;
import java.util.List;

/** Approvals in this JVM only: gone with it. The default when counters are in this JVM too. */
public final class MemoryApprovalStorage implements ApprovalStorage {
    private List<Approval> approvals = new ArrayList<>();

    @Override
    public synchronized <T> T locked(Change<T> change) throws ApprovalStoreException {
        ApprovalBook book = new ApprovalBook(approvals);
        T result = change.apply(book);
        if (book.changed()) {
            approvals = new ArrayList<>(book.all());
        }
        return result;
    }

    @Override
    public String describe() {
        return "approvals in this JVM";
    }
}
