package dev.policylayer.engine.approval;

import java.time.Instant;
import java.util.List;

/**
 * One approval request and what became of it. Immutable; the store replaces it as it changes.
 *
 * @param id           what an operator approves it by
 * @param key          the exact call it is for
 * @param argumentKeys the call's top-level argument names (never their values), for the operator
 * @param state        pending, approved or denied
 * @param uses         how many calls it lets through (once approved)
 * @param used         how many it has let through
 * @param requestedAt  when it was first asked for
 * @param expiresAt    pending: when the request lapses; approved: when the approval does; denied: when the denial
 *                     stops answering identical calls (a new request may then be made)
 * @param decidedBy    who approved or denied it ({@code alice (os user)}, {@code jmx: admin}, ...), or null
 * @param decidedAt    when, or null
 * @param reason       why it was denied, or null
 */
public record Approval(String id, ApprovalKey key, List<String> argumentKeys, State state, int uses, int used,
                       Instant requestedAt, Instant expiresAt, String decidedBy, Instant decidedAt, String reason) {

    public enum State {
        PENDING, APPROVED, DENIED
    }

    public Approval {
        argumentKeys = List.copyOf(argumentKeys);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Approved, not expired, with a use left. */
    public boolean usable(Instant now) {
        return state == State.APPROVED && !expired(now) && used < uses;
    }

    /** What the operator sees it as, in one word: {@code pending}, {@code approved}, {@code used up}, ... */
    public String status(Instant now) {
        if (state == State.APPROVED && used >= uses) {
            return "used";
        }
        if (expired(now)) {
            return "expired";
        }
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One line for an operator: id, status, tool, grant, uses, expiry and the argument names (never a value). */
    public String line(Instant now) {
        return id + "  " + status(now) + "  tool \"" + dev.policylayer.engine.text.Quoted.name(key.tool())
                + "\"  grant \"" + dev.policylayer.engine.text.Quoted.name(key.grant()) + "\"  used " + used + "/"
                + uses + "  " + (expired(now) ? "expired " : "expires ") + expiresAt + "  arguments "
                + argumentKeys + (decidedBy == null ? "" : "  by " + decidedBy) + (reason == null ? ""
                : "  reason: " + dev.policylayer.engine.text.Quoted.name(reason));
    }

    Approval with(State newState, int newUses, int newUsed, Instant newExpiresAt, String by, Instant at,
                  String why) {
        return new Approval(id, key, argumentKeys, newState, newUses, newUsed, requestedAt, newExpiresAt, by, at,
                why);
    }
}
