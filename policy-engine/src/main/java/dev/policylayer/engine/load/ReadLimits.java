package dev.policylayer.engine.load;

import java.time.Duration;

/**
 * How much of a file the operator names (the policy, the grants) is read, and for how long: a FIFO nobody
 * writes, {@code /dev/zero}, a sparse file of a terabyte or a hung network mount must never stall or exhaust the
 * JVM the agent protects.
 *
 * @param maxBytes the largest file read ({@code policylayer.policy.max-bytes})
 * @param timeout  how long one read may take ({@code policylayer.policy.read-timeout})
 */
public record ReadLimits(long maxBytes, Duration timeout) {
    /** Far above any real policy (they run to kilobytes), far below what would strain a small heap. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    public static final ReadLimits DEFAULT = new ReadLimits(DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT);
}
