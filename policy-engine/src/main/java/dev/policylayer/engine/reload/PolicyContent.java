package dev.policylayer.engine.reload;

import dev.policylayer.engine.load.BoundedRead;
import dev.policylayer.engine.load.ReadLimits;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a policy file's bytes. Stamps can miss an edit that keeps the size within one tick of the
 * file system's clock; comparing content catches it, so the periodic check reads the file rather than trusting
 * the stamp alone. Read within the same limits as the policy itself: a file swapped for {@code /dev/zero} or a
 * FIFO is never read to its (missing) end.
 */
final class PolicyContent {
    /** How the digest of a file that cannot be read starts: differs from every real digest. */
    static final String UNREADABLE = "unreadable: ";

    private PolicyContent() {
    }

    static String digest(Path file, ReadLimits limits) {
        try {
            byte[] bytes = BoundedRead.read(file, limits, "policylayer.policy", "policylayer.policy.max-bytes");
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (BoundedRead.Refused refused) {
            return UNREADABLE + refused.getMessage();
        } catch (OutOfMemoryError exhausted) {
            return UNREADABLE + exhausted;
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
