package dev.policylayer.engine.load;

import dev.policylayer.engine.policy.PatternLimit;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.settings.Settings;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads the policy the settings name: a file ({@code .json}, or {@code .yaml}/{@code .yml}), inline JSON in
 * {@code policylayer.policy}, or the policy properties alone, with the properties merged over the document.
 * Every problem is collected and reported together; nothing half-valid is ever returned.
 */
public final class PolicyLoader {
    static final String POLICY = "policylayer.policy";
    static final String MAX_BYTES = "policylayer.policy.max-bytes";
    static final String READ_TIMEOUT = "policylayer.policy.read-timeout";

    private PolicyLoader() {
    }

    /** The policy file the settings name, if the policy comes from a file (not inline JSON or properties). */
    public static Optional<Path> policyFile(Settings settings) {
        String policySetting = settings.get(POLICY).map(String::trim).orElse("");
        return policySetting.isEmpty() || policySetting.startsWith("{") ? Optional.empty()
                : Optional.of(Path.of(policySetting));
    }

    public static EffectivePolicy load(Settings settings) throws PolicyLoadException {
        List<PolicyProblem> problems = new ArrayList<>();
        PropertyOverlay overlay = new PropertyOverlay(settings);
        String policySetting = settings.get(POLICY).map(String::trim).orElse("");
        String source;
        Node root;
        if (policySetting.startsWith("{")) {
            source = "inline policy (" + POLICY + ")";
            root = new DocumentParser(source, problems).parse(policySetting, DocumentParser.Format.JSON);
        } else if (!policySetting.isEmpty()) {
            Path file = Path.of(policySetting);
            source = file.toString();
            ReadLimits limits = readLimits(settings, problems);
            String text = problems.isEmpty() ? readFile(file, limits, problems) : null;
            root = text == null ? null : new DocumentParser(source, problems).parse(text, formatOf(file));
        } else if (overlay.present()) {
            source = "system properties";
            root = overlay.emptyDocument();
        } else {
            throw new PolicyLoadException(new PolicyProblem("configuration", null, null,
                    "no policy configured: set " + POLICY + " to a policy file or inline JSON, or give "
                            + "policylayer.allow / .deny / .hide / .limit.<tool>", null));
        }
        if (root == null) {
            throw new PolicyLoadException(problems);
        }
        Reading reading = new Reading(source, problems);
        overlay.applyTo(root, reading);
        PolicyReader reader = new PolicyReader(reading);
        List<PatternLimit> propertyLimits = overlay.limits(reader.limits());
        Policy policy = reader.read(root, propertyLimits);
        if (!problems.isEmpty() || policy == null) {
            throw new PolicyLoadException(problems);
        }
        int rules = policy.toolRules().size() + policy.hideCount() + policy.allToolsLimits().size()
                + propertyLimits.size();
        return new EffectivePolicy(policy, source, hash(root, settings), rules);
    }

    private static String readFile(Path file, ReadLimits limits, List<PolicyProblem> problems) {
        String source = file.toString();
        try {
            byte[] bytes = BoundedRead.read(file, limits, POLICY, MAX_BYTES);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (BoundedRead.Refused refused) {
            problems.add(new PolicyProblem(source, null, null, "policy " + refused.getMessage(), refused.suggestion()));
        } catch (CharacterCodingException notUtf8) {
            problems.add(new PolicyProblem(source, null, null, "policy file is not UTF-8 text", null));
        }
        return null;
    }

    /**
     * How the policy file is read ({@code policylayer.policy.max-bytes}, {@code policylayer.policy.read-timeout});
     * a value that cannot be read is a problem of its own, so a typo never lifts the cap.
     */
    public static ReadLimits readLimits(Settings settings, List<PolicyProblem> problems) {
        long maxBytes = ReadLimits.DEFAULT_MAX_BYTES;
        String maxText = settings.get(MAX_BYTES).map(String::trim).orElse("");
        if (!maxText.isEmpty()) {
            try {
                maxBytes = Long.parseLong(maxText);
                if (maxBytes < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException notANumber) {
                problems.add(new PolicyProblem(MAX_BYTES, null, null, "must be a whole number of bytes, got \""
                        + maxText + "\"", "e.g. " + MAX_BYTES + "=" + ReadLimits.DEFAULT_MAX_BYTES));
            }
        }
        java.time.Duration timeout = ReadLimits.DEFAULT_TIMEOUT;
        String timeoutText = settings.get(READ_TIMEOUT).map(String::trim).orElse("");
        if (!timeoutText.isEmpty()) {
            java.time.Duration parsed = WindowText.duration(timeoutText);
            if (parsed == null || parsed.isZero() || parsed.isNegative()) {
                problems.add(new PolicyProblem(READ_TIMEOUT, null, null, "must be a duration such as 3s or 500ms,"
                        + " got \"" + timeoutText + "\"", null));
            } else {
                timeout = parsed;
            }
        }
        return new ReadLimits(maxBytes, timeout);
    }

    private static DocumentParser.Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? DocumentParser.Format.YAML
                : DocumentParser.Format.JSON;
    }

    /** SHA-256 of the effective policy: the document after the overlay, plus the limit properties. */
    private static String hash(Node root, Settings settings) {
        StringBuilder canonical = new StringBuilder();
        root.appendCanonical(canonical);
        settings.asMap().forEach((key, value) -> {
            if (key.startsWith(PropertyOverlay.LIMIT_PREFIX)) {
                canonical.append('\n').append(key).append('=').append(value);
            }
        });
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
