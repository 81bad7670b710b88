package dev.policylayer.engine.load;

import dev.policylayer.engine.grants.Grant;
import dev.policylayer.engine.grants.Grants;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a grants file ({@code policylayer.grants}, JSON or YAML): who calls a shared server, and what happens to a
 * caller it does not know. Validated like a policy: every problem at once, each with its line, column and JSON
 * pointer. A value that may be a secret (what is written under {@code tokens_sha256} or {@code header_values}) is
 * never repeated in a problem: a token pasted where its hash belongs must not end up in the log.
 */
public final class GrantsLoader {
    private static final Set<String> DOCUMENT_FIELDS = Set.of("version", "grants", "unknown");
    private static final Set<String> GRANT_FIELDS = Set.of("tokens_sha256", "principals", "header_values", "policy");
    private static final String EXAMPLE = "{\"version\": \"1\", \"grants\": {\"ci-runner\": {\"tokens_sha256\":"
            + " [\"<sha-256 of the token, hex>\"]}}, \"unknown\": \"deny\"}";

    private GrantsLoader() {
    }

    public static Grants load(Path file, ReadLimits limits) throws PolicyLoadException {
        List<PolicyProblem> problems = new ArrayList<>();
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = BoundedRead.read(file, limits, "policylayer.grants", "policylayer.policy.max-bytes");
        } catch (BoundedRead.Refused refused) {
            throw new PolicyLoadException(new PolicyProblem(source, null, null, "grants file " + refused.getMessage(),
                    refused.suggestion()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new PolicyLoadException(new PolicyProblem(source, null, null, "grants file is not UTF-8 text",
                    null));
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        Node root = new DocumentParser(source, problems, "grants file", "start from " + EXAMPLE, true).parse(text,
                name.endsWith(".yaml") || name.endsWith(".yml") ? DocumentParser.Format.YAML
                        : DocumentParser.Format.JSON);
        if (root == null) {
            throw new PolicyLoadException(problems);
        }
        Path directory = file.toAbsolutePath().normalize().getParent();
        Grants grants = new Reader(new Reading(source, problems), directory).read(root, source, sha256(bytes));
        if (!problems.isEmpty() || grants == null) {
            throw new PolicyLoadException(problems);
        }
        return grants;
    }

    /** Reads one parsed document, recording every problem. */
    private static final class Reader {
        private final Reading reading;
        private final Path directory;
        /** Who already claimed each token hash, principal and header value, to refuse a caller in two grants. */
        private final Map<String, String> claimed = new HashMap<>();

        Reader(Reading reading, Path directory) {
            this.reading = reading;
            this.directory = directory;
        }

        Grants read(Node root, String source, String hash) {
            Map<String, Node> fields = reading.object(root, "", "the grants document");
            if (fields == null) {
                return null;
            }
            reading.rejectUnknownFields(root, "", DOCUMENT_FIELDS, "the grants document");
            checkVersion(fields.get("version"), root);
            Map<String, Grant> grants = new LinkedHashMap<>();
            Node grantsNode = fields.get("grants");
            if (grantsNode == null) {
                reading.problem(root, "/grants", "missing \"grants\": name each caller and how it is recognised",
                        "e.g. " + EXAMPLE);
            } else {
                Map<String, Node> entries = reading.object(grantsNode, "/grants", "grants");
                if (entries != null) {
                    entries.forEach((label, node) -> {
                        Grant grant = grant(label, node, "/grants/" + Pointers.escape(label));
                        if (grant != null) {
                            grants.put(label, grant);
                        }
                    });
                }
            }
            String fallback = unknown(fields.get("unknown"), grants, grantsNode != null);
            return new Grants(source, grants, fallback, hash);
        }

        private void checkVersion(Node version, Node root) {
            if (version == null) {
                reading.problem(root, "/version", "missing \"version\"", "add \"version\": \"1\"");
            } else if (!"1".equals(version.value())) {
                reading.problem(version, "/version", "unsupported version " + (version.value() instanceof String t
                        ? "\"" + t + "\"" : version.kind()) + "; this agent reads grants version \"1\"", null);
            }
        }

        private Grant grant(String label, Node node, String pointer) {
            if (label.isBlank()) {
                reading.problem(node, pointer, "a grant's label must not be empty", null);
                return null;
            }
            Map<String, Node> fields = reading.object(node, pointer, "grant \"" + label + "\"");
            if (fields == null) {
                return null;
            }
            reading.rejectUnknownFields(node, pointer, GRANT_FIELDS, "grant \"" + label + "\"");
            Set<String> tokens = values(fields.get("tokens_sha256"), pointer + "/tokens_sha256", label, true);
            Set<String> principals = values(fields.get("principals"), pointer + "/principals", label, false);
            Set<String> headers = values(fields.get("header_values"), pointer + "/header_values", label, false);
            Path policy = null;
            Node policyNode = fields.get("policy");
            if (policyNode != null) {
                String written = reading.string(policyNode, pointer + "/policy", "policy");
                if (written != null && written.isBlank()) {
                    reading.problem(policyNode, pointer + "/policy", "policy must name a policy file", "leave"
                            + " \"policy\" out to use the main policy");
                } else if (written != null) {
                    try {
                        policy = directory.resolve(written).normalize();
                    } catch (java.nio.file.InvalidPathException invalid) {
                        reading.problem(policyNode, pointer + "/policy", "policy is not a usable path ("
                                + invalid.getReason() + ")", null);
                    }
                }
            }
            return new Grant(label, tokens, principals, headers, policy);
        }

        /**
         * The strings of an array field: token hashes (64 hex digits, kept in lower case) or names. Each value may
         * be in only one grant; what is written is quoted in a problem only when it cannot be a secret.
         */
        private Set<String> values(Node node, String pointer, String label, boolean hashes) {
            Set<String> values = new LinkedHashSet<>();
            if (node == null) {
                return values;
            }
            if (!(node.value() instanceof List)) {
                reading.problem(node, pointer, pointer.substring(pointer.lastIndexOf('/') + 1) + " must be an array"
                        + " of strings, got " + node.kind(), null);
                return values;
            }
            List<Node> elements = node.elements();
            for (int i = 0; i < elements.size(); i++) {
                Node element = elements.get(i);
                String at = pointer + "/" + i;
                if (!(element.value() instanceof String text) || text.isEmpty()) {
                    reading.problem(element, at, "expected a non-empty string, got " + (element.value()
                            instanceof String ? "an empty string" : element.kind()), null);
                    continue;
                }
                String value = text;
                if (hashes) {
                    if (!isSha256(text)) {
                        // Never echoed: this is where a token pasted instead of its hash would be.
                        reading.problem(element, at, "expected the SHA-256 of a token as 64 hex digits, got "
                                + text.length() + " characters that are not one", "store the hash, never the"
                                + " token: printf %s \"$TOKEN\" | sha256sum (or: java -jar policylayer.jar grants hash, with the token on standard input)");
                        continue;
                    }
                    value = text.toLowerCase(Locale.ROOT);
                }
                String kind = pointer.substring(pointer.lastIndexOf('/') + 1);
                String owner = claimed.putIfAbsent(kind + "\n" + value, label);
                if (owner != null) {
                    reading.problem(element, at, "this " + (hashes ? "token hash" : kind.equals("principals")
                            ? "principal \"" + value + "\"" : "header value") + " is already in grant \"" + owner
                            + "\": a caller must have one grant", "remove it from one of the two");
                    continue;
                }
                values.add(value);
            }
            return values;
        }

        private String unknown(Node node, Map<String, Grant> grants, boolean grantsRead) {
            if (node == null) {
                return null; // an unknown caller is denied
            }
            if (!(node.value() instanceof String text) || text.isEmpty()) {
                reading.problem(node, "/unknown", "unknown must be \"deny\" or the label of a grant, got "
                        + node.kind(), null);
                return null;
            }
            if (text.equals("deny")) {
                return null;
            }
            if (grantsRead && !grants.containsKey(text)) {
                reading.problem(node, "/unknown", "unknown names grant \"" + text + "\", which the file does not"
                        + " define", dev.policylayer.engine.spelling.Suggestions.nearest(text, grants.keySet())
                        .map(s -> "did you mean \"" + s + "\"?").orElse("say \"deny\", or define the grant"));
                return null;
            }
            return text;
        }

        private static boolean isSha256(String text) {
            if (text.length() != 64) {
                return false;
            }
            for (int i = 0; i < 64; i++) {
                if (Character.digit(text.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every JVM", impossible);
        }
    }
}
