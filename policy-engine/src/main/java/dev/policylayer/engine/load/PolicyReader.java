package dev.policylayer.engine.load;

import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.PatternLimit;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.policy.ToolRule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a parsed document into a {@link Policy}, recording every problem on the way. */
final class PolicyReader {
    private static final Set<String> DOCUMENT_FIELDS = Set.of("version", "default", "hide", "all_tools", "tools");
    private static final Set<String> ALL_TOOLS_FIELDS = Set.of("limits");

    private final Reading reading;
    private final LimitReader limits;
    private final ToolRuleReader tools;

    PolicyReader(Reading reading) {
        this.reading = reading;
        this.limits = new LimitReader(reading);
        this.tools = new ToolRuleReader(reading, limits);
    }

    LimitReader limits() {
        return limits;
    }

    /** The policy, or null when the document's shape is too broken to read further (problems recorded). */
    Policy read(Node root, List<PatternLimit> propertyLimits) {
        Map<String, Node> fields = reading.object(root, "", "the policy document");
        if (fields == null) {
            return null;
        }
        reading.rejectUnknownFields(root, "", DOCUMENT_FIELDS, "the policy document");
        checkVersion(fields.get("version"), root);
        Boolean defaultAllow = defaultVerdict(fields.get("default"), root);
        List<String> hide = hide(fields.get("hide"));
        List<Limit> allToolsLimits = allToolsLimits(fields.get("all_tools"));
        List<ToolRule> toolRules = new ArrayList<>();
        if (fields.containsKey("tools")) {
            Map<String, Node> entries = reading.object(fields.get("tools"), "/tools", "tools");
            if (entries != null) {
                entries.forEach((key, node) -> {
                    ToolRule rule = tools.read(key, node, "/tools/" + Pointers.escape(key));
                    if (rule != null) {
                        toolRules.add(rule);
                    }
                });
            }
        }
        return new Policy(Boolean.TRUE.equals(defaultAllow), hide, allToolsLimits, toolRules, propertyLimits);
    }

    private void checkVersion(Node version, Node root) {
        if (version == null) {
            reading.problem(root, "/version", "missing \"version\"", "add \"version\": \"1\"");
        } else if (!("1".equals(version.value())
                || version.value() instanceof BigDecimal n && n.compareTo(BigDecimal.ONE) == 0)) {
            reading.problem(version, "/version", "unsupported version " + (version.value() instanceof String t
                    ? "\"" + t + "\"" : version.kind()) + "; this agent reads version \"1\"", null);
        }
    }

    private Boolean defaultVerdict(Node node, Node root) {
        if (node == null) {
            reading.problem(root, "/default", "missing \"default\": say what happens to tools the policy does not"
                    + " list", "add \"default\": \"deny\" (or \"allow\")");
            return null;
        }
        if ("allow".equals(node.value())) {
            return true;
        }
        if ("deny".equals(node.value())) {
            return false;
        }
        reading.problem(node, "/default", "default must be \"allow\" or \"deny\"; got " + (node.value()
                instanceof String t ? "\"" + t + "\"" : node.kind()), null);
        return null;
    }

    private List<String> hide(Node node) {
        List<String> hide = new ArrayList<>();
        if (node == null) {
            return hide;
        }
        if (!(node.value() instanceof List)) {
            reading.problem(node, "/hide", "hide must be an array of tool names, got " + node.kind(), null);
            return hide;
        }
        List<Node> elements = node.elements();
        for (int i = 0; i < elements.size(); i++) {
            Node element = elements.get(i);
            if (element.value() instanceof String name && !name.isEmpty()) {
                hide.add(name);
            } else {
                reading.problem(element, "/hide/" + i, "hide entries must be non-empty tool names, got "
                        + element.kind(), null);
            }
        }
        return hide;
    }

    private List<Limit> allToolsLimits(Node node) {
        if (node == null) {
            return List.of();
        }
        Map<String, Node> fields = reading.object(node, "/all_tools", "all_tools");
        if (fields == null) {
            return List.of();
        }
        reading.rejectUnknownFields(node, "/all_tools", ALL_TOOLS_FIELDS, "all_tools");
        return limits.readAll(fields.get("limits"), "/all_tools/limits");
    }
}
