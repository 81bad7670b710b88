package dev.policylayer.engine.load;

import dev.policylayer.engine.approval.ApprovalMode;
import dev.policylayer.engine.approval.ApprovalSpec;
import dev.policylayer.engine.policy.Action;
import dev.policylayer.engine.policy.Condition;
import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.ToolRule;
import dev.policylayer.engine.predicate.InvalidPredicateException;
import dev.policylayer.engine.predicate.Predicate;
import dev.policylayer.engine.spelling.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one {@code tools.<name>} entry. */
final class ToolRuleReader {
    private static final Set<String> TOOL_FIELDS = Set.of("action", "require", "deny_if", "limits", "rate_limit",
            "on_deny", "reason", "approval");
    private static final Set<String> APPROVAL_FIELDS = Set.of("mode", "uses", "valid_for", "pending_for", "timeout");
    private static final Set<String> CONDITION_FIELDS = Set.of("path", "op", "value");
    private static final List<String> ACTIONS = List.of("allow", "deny", "require_approval");

    private final Reading reading;
    private final LimitReader limits;

    ToolRuleReader(Reading reading, LimitReader limits) {
        this.reading = reading;
        this.limits = limits;
    }

    ToolRule read(String key, Node node, String pointer) {
        if (key.isEmpty()) {
            reading.problem(node, pointer, "a tool name cannot be empty", null);
            return null;
        }
        Map<String, Node> fields = reading.object(node, pointer, "the rules of tool \"" + key + "\"");
        if (fields == null) {
            return null;
        }
        reading.rejectUnknownFields(node, pointer, TOOL_FIELDS, "a tool entry");
        Action action = action(fields.get("action"), pointer + "/action");
        List<Condition> require = conditions(fields.get("require"), pointer + "/require");
        List<Condition> denyIf = conditions(fields.get("deny_if"), pointer + "/deny_if");
        List<Limit> toolLimits = new ArrayList<>(limits.readAll(fields.get("limits"), pointer + "/limits"));
        if (fields.containsKey("rate_limit")) {
            Limit rate = limits.readRateLimit(fields.get("rate_limit"), pointer + "/rate_limit", key);
            if (rate != null) {
                toolLimits.add(rate);
            }
        }
        String onDeny = null;
        if (fields.containsKey("on_deny") && fields.containsKey("reason")) {
            reading.problem(fields.get("reason"), pointer + "/reason",
                    "\"reason\" is another name for \"on_deny\"; give only one", null);
        } else if (fields.containsKey("on_deny") || fields.containsKey("reason")) {
            String field = fields.containsKey("on_deny") ? "on_deny" : "reason";
            onDeny = reading.string(fields.get(field), pointer + "/" + field, field);
        }
        ApprovalSpec approval = null;
        if (fields.containsKey("approval")) {
            approval = approval(fields.get("approval"), pointer + "/approval");
            if (action != Action.REQUIRE_APPROVAL) {
                reading.problem(fields.get("approval"), pointer + "/approval", "\"approval\" says how calls are"
                        + " approved, but this tool's action is not require_approval", "add \"action\":"
                        + " \"require_approval\", or remove \"approval\"");
            }
        } else if (action == Action.REQUIRE_APPROVAL) {
            approval = ApprovalSpec.DEFAULT;
        }
        return new ToolRule(key, pointer, action, require, denyIf, toolLimits, onDeny, approval);
    }

    /** {@code approval}: an extension of PolicyLayer v1, read only when a document has it. */
    private ApprovalSpec approval(Node node, String pointer) {
        Map<String, Node> fields = reading.object(node, pointer, "approval");
        if (fields == null) {
            return ApprovalSpec.DEFAULT;
        }
        reading.rejectUnknownFields(node, pointer, APPROVAL_FIELDS, "approval");
        List<ApprovalMode> modes = new ArrayList<>();
        Node modeNode = fields.get("mode");
        if (modeNode == null) {
            modes.add(ApprovalMode.ASYNC);
        } else if (modeNode.value() instanceof List) {
            List<Node> elements = modeNode.elements();
            if (elements.isEmpty()) {
                reading.problem(modeNode, pointer + "/mode", "mode lists no mode", "e.g. [\"ask\", \"async\"]");
            }
            for (int i = 0; i < elements.size(); i++) {
                ApprovalMode mode = mode(elements.get(i), pointer + "/mode/" + i);
                if (mode != null && !modes.contains(mode)) {
                    modes.add(mode);
                }
            }
        } else {
            ApprovalMode mode = mode(modeNode, pointer + "/mode");
            if (mode != null) {
                modes.add(mode);
            }
        }
        int uses = ApprovalSpec.DEFAULT_USES;
        Node usesNode = fields.get("uses");
        if (usesNode != null) {
            if (usesNode.value() instanceof java.math.BigDecimal n && n.signum() > 0 && n.stripTrailingZeros()
                    .scale() <= 0 && n.compareTo(java.math.BigDecimal.valueOf(1_000_000)) <= 0) {
                uses = n.intValueExact();
            } else {
                reading.problem(usesNode, pointer + "/uses", "uses must be a whole number from 1 to 1000000, got "
                        + (usesNode.value() instanceof java.math.BigDecimal n ? n.toPlainString() : usesNode.kind()),
                        null);
            }
        }
        return new ApprovalSpec(modes, uses,
                duration(fields.get("valid_for"), pointer + "/valid_for", ApprovalSpec.DEFAULT_VALID_FOR),
                duration(fields.get("pending_for"), pointer + "/pending_for", ApprovalSpec.DEFAULT_PENDING_FOR),
                duration(fields.get("timeout"), pointer + "/timeout", ApprovalSpec.DEFAULT_TIMEOUT));
    }

    private ApprovalMode mode(Node node, String pointer) {
        List<String> names = List.of("ask", "hold", "async");
        if (node.value() instanceof String text && names.contains(text)) {
            return ApprovalMode.valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
        reading.problem(node, pointer, "an approval mode is one of ask, hold, async; got " + (node.value()
                instanceof String t ? "\"" + t + "\"" : node.kind()), node.value() instanceof String text
                ? Suggestions.nearest(text, names).map(s -> "did you mean \"" + s + "\"?").orElse(null) : null);
        return null;
    }

    private java.time.Duration duration(Node node, String pointer, java.time.Duration otherwise) {
        if (node == null) {
            return otherwise;
        }
        java.time.Duration parsed = node.value() instanceof String text ? WindowText.duration(text) : null;
        if (parsed == null || parsed.isZero() || parsed.isNegative()) {
            reading.problem(node, pointer, pointer.substring(pointer.lastIndexOf('/') + 1) + " must be a duration"
                    + " such as 90s, 30m or 24h, got " + (node.value() instanceof String t ? "\"" + t + "\""
                    : node.kind()), null);
            return otherwise;
        }
        return parsed;
    }

    private Action action(Node node, String pointer) {
        if (node == null) {
            return Action.ALLOW;
        }
        if (node.value() instanceof String text && ACTIONS.contains(text)) {
            return Action.valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
        reading.problem(node, pointer, "action must be one of " + String.join(", ", ACTIONS) + "; got "
                + (node.value() instanceof String t ? "\"" + t + "\"" : node.kind()),
                node.value() instanceof String text ? Suggestions.nearest(text, ACTIONS)
                        .map(s -> "did you mean \"" + s + "\"?").orElse(null) : null);
        return Action.DENY; // never let a misspelt action read as allow; the problem fails the load anyway
    }

    private List<Condition> conditions(Node node, String pointer) {
        if (node == null) {
            return List.of();
        }
        if (!(node.value() instanceof List)) {
            reading.problem(node, pointer, "expected an array of conditions like {\"path\": \"args.amount\", "
                    + "\"op\": \"gt\", \"value\": 100}, got " + node.kind(), null);
            return List.of();
        }
        List<Condition> conditions = new ArrayList<>();
        List<Node> elements = node.elements();
        for (int i = 0; i < elements.size(); i++) {
            Condition condition = condition(elements.get(i), pointer + "/" + i);
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return conditions;
    }

    private Condition condition(Node node, String pointer) {
        Map<String, Node> fields = reading.object(node, pointer, "a condition");
        if (fields == null) {
            return null;
        }
        reading.rejectUnknownFields(node, pointer, CONDITION_FIELDS, "a condition");
        String path = fields.containsKey("path") ? reading.string(fields.get("path"), pointer + "/path", "path")
                : null;
        String op = fields.containsKey("op") ? reading.string(fields.get("op"), pointer + "/op", "op") : null;
        if (!fields.containsKey("path") || !fields.containsKey("op")) {
            reading.problem(node, pointer, "a condition needs \"path\" and \"op\"" + (fields.containsKey("value")
                    ? "" : " (and \"value\")"), null);
            return null;
        }
        if (path == null || op == null) {
            return null;
        }
        Node valueNode = fields.get("value");
        Object value;
        if (valueNode == null) {
            if (!"exists".equals(op)) {
                reading.problem(node, pointer, "a condition with op \"" + op + "\" needs a \"value\"", null);
                return null;
            }
            value = Boolean.TRUE; // {"op": "exists"} alone asks for presence
        } else {
            value = valueNode.plain();
        }
        try {
            return new Condition(pointer, Predicate.compile(path, op, value));
        } catch (InvalidPredicateException invalid) {
            Node at = fields.getOrDefault(invalid.field(), node);
            reading.problem(at, pointer + "/" + invalid.field(), invalid.getMessage(), invalid.suggestion());
            return null;
        }
    }
}
