package dev.policylayer.agent.startup;

import dev.policylayer.engine.approval.ApprovalStorage;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.approval.FileApprovalStorage;
import dev.policylayer.engine.approval.MemoryApprovalStorage;
import dev.policylayer.engine.approval.RedisApprovalStorage;
import dev.policylayer.engine.approval.UnusableApprovalStorage;
import dev.policylayer.engine.settings.ApprovalTarget;
import java.time.Clock;

/**
 * Opens the approval store the settings name. A store that cannot be opened is not replaced by one in this JVM
 * (whose approvals the operator's command could not reach): it denies every call that needs approval, saying why.
 */
final class ApprovalStores {

    private ApprovalStores() {
    }

    static ApprovalStore open(ApprovalTarget target) {
        return new ApprovalStore(storage(target), Clock.systemUTC());
    }

    private static ApprovalStorage storage(ApprovalTarget target) {
        if (target.unusable() != null) {
            return new UnusableApprovalStorage(target.unusable());
        }
        try {
            if (target.redis() != null) {
                return new RedisApprovalStorage(target.redis(), target.prefix(), target.timeout(), false);
            }
            return target.file() != null ? new FileApprovalStorage(target.file(), false) : new MemoryApprovalStorage();
        } catch (RuntimeException cannotOpen) {
            return new UnusableApprovalStorage(target.describe() + ": " + cannotOpen.getMessage());
        }
    }
}
