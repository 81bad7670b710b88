package dev.policylayer.engine.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A caller-chosen name (a tool name, an argument key) as it may appear in a text the agent builds: a denial, an
 * audit line, a log line, a JMX key. At most {@link #MAX_CHARS} characters of it, then {@code …} with its length
 * and a short hash, so the text costs the same whatever the name's size; and control characters and lone UTF-16
 * surrogates written as {@code \\uXXXX}, so the text is always valid, printable Unicode that any JSON writer and
 * any log reader takes.
 */
public final class Quoted {
    /** Characters of a name kept before it is cut short. */
    public static final int MAX_CHARS = 200;

    private Quoted() {
    }

    /** {@code name} bounded and made safe; {@code (none)} for null. */
    public static String name(String name) {
        if (name == null) {
            return "(none)";
        }
        int length = name.length();
        int keep = Math.min(length, MAX_CHARS);
        if (keep < length && keep > 0 && Character.isHighSurrogate(name.charAt(keep - 1))
                && Character.isLowSurrogate(name.charAt(keep))) {
            keep--; // do not split a pair
        }
        if (keep == length && isPlain(name)) {
            return name;
        }
        StringBuilder out = new StringBuilder(keep + 64);
        for (int i = 0; i < keep; i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < keep && Character.isLowSurrogate(name.charAt(i + 1))) {
                out.append(c).append(name.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (keep < length) {
            out.append("…(").append(length).append(" characters, sha256 ").append(shortHash(name)).append(')');
        }
        return out.toString();
    }

    private static boolean isPlain(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String shortHash(String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(name.getBytes(StandardCharsets.UTF_16LE)); // every String has UTF-16 bytes
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
