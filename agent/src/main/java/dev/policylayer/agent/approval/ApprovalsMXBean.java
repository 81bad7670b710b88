package dev.policylayer.agent.approval;

import java.util.List;

/**
 * The approval store's operations for an operator on JMX ({@code dev.policylayer:type=Approvals}): what
 * {@code java -jar policylayer.jar approvals <store>} does for a file or Redis store, for a store in this JVM. Who
 * decided is the JMX principal.
 */
public interface ApprovalsMXBean {

    /** One line per approval, newest first. */
    List<String> getApprovals();

    /**
     * Approves {@code id} for {@code uses} identical calls within {@code validFor} ({@code 1h}, {@code 30m}).
     * @return the approval's line, or what is wrong (an unknown, expired or decided id; a malformed duration)
     */
    String approve(String id, int uses, String validFor);

    /** Denies {@code id}; identical calls are then denied with {@code reason}. */
    String deny(String id, String reason);
}
