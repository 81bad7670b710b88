package dev.policylayer.engine.load;

import dev.policylayer.engine.policy.PatternLimit;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.settings.Settings;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
            String text = readFile(file, problems);
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

    private static String readFile(Path file, List<PolicyProblem> problems) {
        String source = file.toString();
        try {
            if (Files.isDirectory(file)) {
                problems.add(new PolicyProblem(source, null, null, "is a directory, not a policy file",
                        "point " + POLICY + " at the policy's .json or .yaml file"));
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException missing) {
            problems.add(new PolicyProblem(source, null, null, "policy file does not exist (resolved against "
                    + "the working directory: " + file.toAbsolutePath() + ")", "check " + POLICY));
        } catch (AccessDeniedException denied) {
            problems.add(new PolicyProblem(source, null, null, "policy file cannot be read: permission denied",
                    "make it readable by the user running the JVM"));
        } catch (CharacterCodingException notUtf8) {
            problems.add(new PolicyProblem(source, null, null, "policy file is not UTF-8 text", null));
        } catch (IOException unreadable) {
            problems.add(new PolicyProblem(source, null, null, "policy file cannot be read: " + unreadable, null));
        }
        return null;
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
