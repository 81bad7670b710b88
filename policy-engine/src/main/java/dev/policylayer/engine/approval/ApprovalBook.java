package dev.policylayer.engine.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every approval of one store, and the rules by which they change. A storage loads it, runs one operation on it
 * under its exclusive lock, and writes it back if it changed: so each use is taken atomically, and two identical
 * calls racing for one use cannot both have it. Records are kept a week past their expiry (for {@code list}), then
 * dropped.
 */
public final class ApprovalBook {
    static final Duration RETENTION = Duration.ofDays(7);

    private final Map<String, Approval> byId = new LinkedHashMap<>();
    private final List<ApprovalEvent> events = new ArrayList<>();
    private boolean changed;

    ApprovalBook(Collection<Approval> approvals) {
        approvals.forEach(a -> byId.put(a.id(), a));
    }

    Collection<Approval> all() {
        return byId.values();
    }

    boolean changed() {
        return changed;
    }

    List<ApprovalEvent> events() {
        return events;
    }

    /**
     * The call {@code key} needs approval: takes one use of a usable approval for it, or says it is denied or
     * pending (asking for a new approval when there is none, or the last one lapsed or is used up).
     */
    Outcome decide(ApprovalKey key, ApprovalSpec spec, List<String> argumentKeys, Instant now) {
        prune(now);
        Approval latest = null;
        for (Approval approval : byId.values()) {
            if (approval.key().equals(key)) {
                latest = approval; // insertion order: the last one is the newest
            }
        }
        if (latest != null && latest.state() != Approval.State.PENDING && !latest.expired(now)) {
            events.add(new ApprovalEvent(ApprovalEvent.Type.DECIDED, latest));
        }
        if (latest != null && latest.usable(now)) {
            Approval used = latest.with(latest.state(), latest.uses(), latest.used() + 1, latest.expiresAt(),
                    latest.decidedBy(), latest.decidedAt(), latest.reason());
            put(used);
            events.add(new ApprovalEvent(ApprovalEvent.Type.USED, used));
            return new Outcome(Outcome.Kind.CONSUMED, used);
        }
        if (latest != null && !latest.expired(now)) {
            if (latest.state() == Approval.State.DENIED) {
                return new Outcome(Outcome.Kind.DENIED, latest);
            }
            if (latest.state() == Approval.State.PENDING) {
                return new Outcome(Outcome.Kind.PENDING, latest);
            }
        } else if (latest != null && latest.state() != Approval.State.DENIED && latest.used() < latest.uses()) {
            events.add(new ApprovalEvent(ApprovalEvent.Type.EXPIRED, latest)); // lapsed before it was used up
        }
        Approval requested = new Approval(UUID.randomUUID().toString(), key, argumentKeys, Approval.State.PENDING,
                spec.uses(), 0, now, now.plus(spec.pendingFor()), null, null, null);
        put(requested);
        events.add(new ApprovalEvent(ApprovalEvent.Type.REQUESTED, requested));
        return new Outcome(Outcome.Kind.PENDING, requested);
    }

    /** A use taken for a call that then did not run (a limit refused it) is given back. */
    void giveBack(String id) {
        Approval approval = byId.get(id);
        if (approval != null && approval.used() > 0) {
            put(approval.with(approval.state(), approval.uses(), approval.used() - 1, approval.expiresAt(),
                    approval.decidedBy(), approval.decidedAt(), approval.reason()));
        }
    }

    Approval approve(String id, int uses, Duration validFor, String by, Instant now) throws ApprovalStoreException {
        Approval approval = pending(id, now, "approved");
        if (uses < 1) {
            throw ApprovalStoreException.refused("--uses must be 1 or more, got " + uses);
        }
        Approval approved = approval.with(Approval.State.APPROVED, uses, 0, now.plus(validFor), by, now, null);
        put(approved);
        events.add(new ApprovalEvent(ApprovalEvent.Type.DECIDED, approved));
        return approved;
    }

    /** Denies a pending request, or withdraws an approval not used up. */
    Approval deny(String id, String reason, String by, Instant now) throws ApprovalStoreException {
        Approval approval = byId.get(id);
        if (approval == null || approval.state() != Approval.State.APPROVED || !approval.usable(now)) {
            approval = pending(id, now, "denied");
        }
        Approval denied = approval.with(Approval.State.DENIED, approval.uses(), approval.used(),
                now.plus(ApprovalSpec.DEFAULT_PENDING_FOR), by, now, reason);
        put(denied);
        events.add(new ApprovalEvent(ApprovalEvent.Type.DECIDED, denied));
        return denied;
    }

    Approval get(String id) {
        return byId.get(id);
    }

    /** The approval {@code id}, which must be pending and not expired; else why it cannot be {@code done}. */
    private Approval pending(String id, Instant now, String done) throws ApprovalStoreException {
        Approval approval = byId.get(id);
        if (approval == null) {
            throw ApprovalStoreException.refused("no approval has the id " + id + " (see: approvals <store> list)");
        }
        if (approval.state() != Approval.State.PENDING) {
            throw ApprovalStoreException.refused("approval " + id + " is already " + approval.status(now)
                    + (approval.decidedBy() == null ? "" : " (by " + approval.decidedBy() + ")")
                    + ": it cannot be " + done);
        }
        if (approval.expired(now)) {
            throw ApprovalStoreException.refused("approval " + id + " expired at " + approval.expiresAt()
                    + ": it cannot be " + done + "; the call asks again when it is made again");
        }
        return approval;
    }

    private void prune(Instant now) {
        Instant before = now.minus(RETENTION);
        if (byId.values().removeIf(approval -> approval.expiresAt().isBefore(before))) {
            changed = true;
        }
    }

    private void put(Approval approval) {
        byId.put(approval.id(), approval);
        changed = true;
    }
}
