package dev.policylayer.engine.approval;

import java.time.Duration;
import java.util.List;

/**
 * How one tool's calls are approved ({@code tools.<name>.approval}, an extension of {@code action:
 * require_approval}).
 *
 * @param modes      the ways to get a decision, in order of preference: the first that can serve a call is used
 *                   (a client without elicitation cannot be asked); {@link ApprovalMode#ASYNC} always can, and is
 *                   the last resort when none of those listed can
 * @param uses       how many identical calls one approval lets through
 * @param validFor   how long an approval stays usable once given
 * @param pendingFor how long a request waits for a decision before it expires
 * @param timeout    how long a held or asked call waits for its answer
 */
public record ApprovalSpec(List<ApprovalMode> modes, int uses, Duration validFor, Duration pendingFor,
                           Duration timeout) {
    public static final int DEFAULT_USES = 1;
    public static final Duration DEFAULT_VALID_FOR = Duration.ofHours(1);
    public static final Duration DEFAULT_PENDING_FOR = Duration.ofHours(24);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /** {@code action: require_approval} alone: async, one use, valid an hour, pending a day. */
    public static final ApprovalSpec DEFAULT = new ApprovalSpec(List.of(ApprovalMode.ASYNC), DEFAULT_USES,
            DEFAULT_VALID_FOR, DEFAULT_PENDING_FOR, DEFAULT_TIMEOUT);

    public ApprovalSpec {
        modes = List.copyOf(modes);
    }
}
