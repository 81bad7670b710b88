package dev.policylayer.engine.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An approval book as a document, as the file and Redis stores keep it:
 * {@code {"policylayer": "approvals", "version": 1, "approvals": [...]}}. Reading refuses anything else, whole:
 * a document that is not an approval store, or one damaged in any field, is never read as "no approvals" or
 * repaired into one, so nothing it held is lost or loosened.
 */
final class ApprovalJson {
    static final String MARK = "approvals";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalJson() {
    }

    static String write(Collection<Approval> approvals) {
        ObjectNode root = JSON.createObjectNode();
        root.put("policylayer", MARK);
        root.put("version", 1);
        ArrayNode list = root.putArray("approvals");
        for (Approval a : approvals) {
            ObjectNode node = list.addObject();
            node.put("id", a.id());
            node.put("grant", a.key().grant());
            node.put("tool", a.key().tool());
            node.put("fingerprint", a.key().fingerprint());
            ArrayNode keys = node.putArray("argument_keys");
            a.argumentKeys().forEach(keys::add);
            node.put("state", a.state().name().toLowerCase(java.util.Locale.ROOT));
            node.put("uses", a.uses());
            node.put("used", a.used());
            node.put("requested_at", a.requestedAt().toString());
            node.put("expires_at", a.expiresAt().toString());
            node.put("decided_by", a.decidedBy());
            node.put("decided_at", a.decidedAt() == null ? null : a.decidedAt().toString());
            node.put("reason", a.reason());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** @param where what the document is, for messages ({@code approval file x}) */
    static List<Approval> read(String text, String where) throws ApprovalStoreException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException damaged) {
            throw damaged(where, "it is not JSON (line " + damaged.getLocation().getLineNr() + ")", damaged);
        }
        if (root == null || !root.isObject() || !MARK.equals(root.path("policylayer").asText(null))) {
            throw new ApprovalStoreException(where + " is not an approval store (it lacks \"policylayer\": \""
                    + MARK + "\"); point policylayer.approvals at an approval store, or at a path that does not"
                    + " exist yet", true, null);
        }
        if (root.path("version").asInt(-1) != 1) {
            throw damaged(where, "its version is " + root.path("version") + ", this agent reads 1", null);
        }
        JsonNode list = root.path("approvals");
        if (!list.isArray()) {
            throw damaged(where, "\"approvals\" is not an array", null);
        }
        List<Approval> approvals = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            approvals.add(approval(list.get(i), where + " at /approvals/" + i));
        }
        return approvals;
    }

    private static Approval approval(JsonNode node, String where) throws ApprovalStoreException {
        try {
            List<String> keys = new ArrayList<>();
            for (JsonNode key : required(node, "argument_keys", where)) {
                keys.add(key.asText());
            }
            Approval.State state = Approval.State.valueOf(text(node, "state", where).toUpperCase(
                    java.util.Locale.ROOT));
            String decidedAt = node.path("decided_at").asText(null);
            return new Approval(text(node, "id", where), new ApprovalKey(text(node, "grant", where),
                    text(node, "tool", where), text(node, "fingerprint", where)), keys, state,
                    required(node, "uses", where).asInt(), required(node, "used", where).asInt(),
                    Instant.parse(text(node, "requested_at", where)), Instant.parse(text(node, "expires_at", where)),
                    node.path("decided_by").asText(null), decidedAt == null ? null : Instant.parse(decidedAt),
                    node.path("reason").asText(null));
        } catch (IllegalArgumentException | DateTimeParseException damaged) {
            throw damaged(where, damaged.getMessage(), damaged);
        }
    }

    private static JsonNode required(JsonNode node, String field, String where) throws ApprovalStoreException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw damaged(where, "\"" + field + "\" is missing", null);
        }
        return value;
    }

    private static String text(JsonNode node, String field, String where) throws ApprovalStoreException {
        return required(node, field, where).asText();
    }

    private static ApprovalStoreException damaged(String where, String what, Throwable cause) {
        return new ApprovalStoreException(where + " is damaged: " + what + ". Calls that need approval are denied"
                + " until it is fixed (it is never repaired); restore it, or move it away to start with no"
                + " approvals", true, cause);
    }
}
