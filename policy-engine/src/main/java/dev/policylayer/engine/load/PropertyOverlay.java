package dev.policylayer.engine.load;

import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.PatternLimit;
import dev.policylayer.engine.policy.Scope;
import dev.policylayer.engine.policy.ToolNamePattern;
import dev.policylayer.engine.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy properties ({@code policylayer.default}, {@code .allow}, {@code .deny}, {@code .hide},
 * {@code .limit.<tool>}) merged over the document: the file is the base, properties override or add.
 *
 * <ul>
 *   <li>{@code default} replaces the document's default.</li>
 *   <li>{@code allow} lists each tool (an empty entry) or sets an existing entry's action to allow.</li>
 *   <li>{@code deny} sets each tool's action to deny, adding the entry if needed.</li>
 *   <li>{@code hide} adds to the hide list.</li>
 *   <li>{@code limit.<tool>} adds a limit counted per grant on that tool (or glob) without listing it;
 *   {@code limit.*} adds one to every tool, counted per tool.</li>
 * </ul>
 */
final class PropertyOverlay {
    static final String DEFAULT = "policylayer.default";
    static final String ALLOW = "policylayer.allow";
    static final String DENY = "policylayer.deny";
    static final String HIDE = "policylayer.hide";
    static final String LIMIT_PREFIX = "policylayer.limit.";

    private final Settings settings;

    PropertyOverlay(Settings settings) {
        this.settings = settings;
    }

    /** Whether any property shapes the policy (so that properties alone can be a policy). */
    boolean present() {
        return settings.get(DEFAULT).isPresent() || settings.get(ALLOW).isPresent()
                || settings.get(DENY).isPresent() || settings.get(HIDE).isPresent() || !limitProperties().isEmpty();
    }

    /**
     * The document to start from when there is no file: version 1, and a default taken from
     * {@code policylayer.default}, else deny when an allow-list is given, else allow.
     */
    Node emptyDocument() {
        Map<String, Node> root = new LinkedHashMap<>();
        root.put("version", new Node("1", "(properties)"));
        String fallback = settings.get(ALLOW).isPresent() ? "deny" : "allow";
        root.put("default", new Node(fallback, "(properties: no policylayer.default given)"));
        return new Node(root, "(properties)");
    }

    /** Applies default, allow, deny and hide to the document's tree, in place. */
    void applyTo(Node root, Reading reading) {
        if (!root.isObject()) {
            return;
        }
        Map<String, Node> document = root.fields();
        settings.get(DEFAULT).ifPresent(value -> document.put("default",
                new Node(value.trim(), "(property " + DEFAULT + ")")));
        settings.get(HIDE).ifPresent(value -> {
            Node hide = document.get("hide");
            List<Node> entries = new ArrayList<>(hide != null && hide.value() instanceof List ? hide.elements()
                    : List.of());
            names(value).forEach(name -> entries.add(new Node(name, "(property " + HIDE + ")")));
            document.put("hide", new Node(entries, "(property " + HIDE + ")"));
        });
        settings.get(ALLOW).ifPresent(value -> names(value).forEach(name -> setAction(document, name, "allow",
                ALLOW, reading)));
        settings.get(DENY).ifPresent(value -> names(value).forEach(name -> setAction(document, name, "deny",
                DENY, reading)));
    }

    /** The {@code limit.*} properties as limits, with problems recorded for malformed ones. */
    List<PatternLimit> limits(LimitReader reader) {
        List<PatternLimit> limits = new ArrayList<>();
        limitProperties().forEach((property, value) -> {
            String tool = property.substring(LIMIT_PREFIX.length());
            boolean everyTool = tool.equals("*");
            Limit limit = reader.readProperty(property, value.trim(), "property:" + property,
                    everyTool ? Scope.TOOL : Scope.GRANT);
            if (limit != null) {
                limits.add(new PatternLimit(ToolNamePattern.of(tool), limit));
            }
        });
        return limits;
    }

    private Map<String, String> limitProperties() {
        Map<String, String> limits = new LinkedHashMap<>();
        settings.asMap().forEach((key, value) -> {
            if (key.startsWith(LIMIT_PREFIX) && key.length() > LIMIT_PREFIX.length()) {
                limits.put(key, value);
            }
        });
        return limits;
    }

    private static void setAction(Map<String, Node> document, String tool, String action, String property,
                                  Reading reading) {
        String where = "(property " + property + ")";
        Node tools = document.get("tools");
        if (tools == null) {
            tools = new Node(new LinkedHashMap<String, Node>(), where);
            document.put("tools", tools);
        }
        if (!tools.isObject()) {
            reading.problem(tools, "/tools", "tools must be an object to apply " + property, null);
            return;
        }
        Node entry = tools.fields().get(tool);
        if (entry == null || !entry.isObject()) {
            entry = new Node(new LinkedHashMap<String, Node>(), where);
            tools.fields().put(tool, entry);
        }
        if (action.equals("deny") || entry.fields().containsKey("action")) {
            entry.fields().put("action", new Node(action, where));
        }
    }

    private static List<String> names(String commaSeparated) {
        List<String> names = new ArrayList<>();
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }
}
