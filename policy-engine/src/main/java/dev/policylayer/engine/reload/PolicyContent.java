package dev.policylayer.engine.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a policy file's bytes. Stamps can miss an edit that keeps the size within one tick of the
 * file system's clock; comparing content catches it, so the periodic check reads the file rather than trusting
 * the stamp alone.
 */
final class PolicyContent {
    /** The digest of a file that cannot be read: differs from every real digest. */
    static final String UNREADABLE = "unreadable";

    private PolicyContent() {
    }

    static String digest(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | SecurityException unreadable) {
            return UNREADABLE;
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
