package dev.policylayer.agent.approval;

import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.approval.ApprovalStoreException;
import dev.policylayer.engine.load.WindowText;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import javax.security.auth.Subject;

/** The {@link ApprovalsMXBean} over the agent's store; answers in text, never throws into the JMX client. */
public final class ApprovalOperations implements ApprovalsMXBean {
    public static final String NAME = "dev.policylayer:type=Approvals";

    private volatile ApprovalStore store;

    public void started(ApprovalStore opened) {
        store = opened;
    }

    @Override
    public List<String> getApprovals() {
        ApprovalStore approvals = store;
        if (approvals == null) {
            return List.of("the agent is still starting");
        }
        try {
            Instant now = approvals.now();
            List<String> lines = new ArrayList<>();
            approvals.list().stream().sorted(Comparator.comparing(Approval::requestedAt).reversed())
                    .forEach(approval -> lines.add(approval.line(now)));
            return lines;
        } catch (ApprovalStoreException unreadable) {
            return List.of("error: " + unreadable.getMessage());
        }
    }

    @Override
    public String approve(String id, int uses, String validFor) {
        Duration valid = validFor == null || validFor.isBlank() ? null : WindowText.duration(validFor);
        if (valid == null || valid.isZero()) {
            return "error: validFor must be a duration such as 30m, 1h or 1d; nothing changed";
        }
        if (uses < 1) {
            return "error: uses must be 1 or more; nothing changed";
        }
        return change(approvals -> approvals.approve(id, uses, valid, principal()));
    }

    @Override
    public String deny(String id, String reason) {
        return change(approvals -> approvals.deny(id, reason == null || reason.isBlank() ? null : reason,
                principal()));
    }

    private interface Operation {
        Approval on(ApprovalStore approvals) throws ApprovalStoreException;
    }

    private String change(Operation operation) {
        ApprovalStore approvals = store;
        if (approvals == null) {
            return "error: the agent is still starting; nothing changed";
        }
        try {
            return operation.on(approvals).line(approvals.now());
        } catch (ApprovalStoreException refused) {
            return "error: " + refused.getMessage();
        }
    }

    /** The JMX client's authenticated principal, where the connector has one. */
    static String principal() {
        Subject subject = currentSubject();
        if (subject == null || subject.getPrincipals().isEmpty()) {
            return "jmx (no authentication)";
        }
        return "jmx: " + subject.getPrincipals().stream().map(Principal::getName).distinct()
                .collect(Collectors.joining(", "));
    }

    /** {@code Subject.current()} from JDK 18; before, the subject of the access-control context. */
    @SuppressWarnings({"deprecation", "removal"})
    private static Subject currentSubject() {
        try {
            return (Subject) Subject.class.getMethod("current").invoke(null);
        } catch (ReflectiveOperationException beforeJdk18) {
            try {
                return Subject.getSubject(java.security.AccessController.getContext());
            } catch (RuntimeException | LinkageError unsupported) {
                return null;
            }
        }
    }
}
