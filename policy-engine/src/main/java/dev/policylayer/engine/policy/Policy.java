package dev.policylayer.engine.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated, immutable policy.
 *
 * <p>Which rules apply to a tool: its exact key if there is one, else the matching glob with the most literal
 * characters (document order breaks ties); then the {@code "*"} entry, if any, adds its rules after the
 * tool's own. A tool matched by an exact or glob key is "listed" (allowed under {@code default: deny});
 * {@code "*"} alone does not list a tool, or {@code default: deny} would mean nothing once it is present.
 */
public final class Policy {
    private final boolean defaultAllow;
    private final List<String> hide;
    private final Set<String> hiddenNames;
    private final List<ToolNamePattern> hiddenPatterns;
    private final boolean hideAll;
    private final List<Limit> allToolsLimits;
    private final Map<String, ToolRule> exactRules;
    private final List<Map.Entry<ToolNamePattern, ToolRule>> globRules;
    private final ToolRule everyTool;
    private final List<PatternLimit> patternLimits;

    public Policy(boolean defaultAllow, List<String> hide, List<Limit> allToolsLimits, List<ToolRule> tools,
                  List<PatternLimit> patternLimits) {
        this.defaultAllow = defaultAllow;
        this.hide = List.copyOf(hide);
        this.patternLimits = List.copyOf(patternLimits);
        Set<String> names = new HashSet<>();
        List<ToolNamePattern> patterns = new ArrayList<>();
        boolean all = false;
        for (String entry : hide) {
            ToolNamePattern pattern = ToolNamePattern.of(entry);
            if (entry.equals("*")) {
                all = true;
            } else if (pattern.isGlob()) {
                patterns.add(pattern);
            } else {
                names.add(entry);
            }
        }
        this.hiddenNames = Set.copyOf(names);
        this.hiddenPatterns = List.copyOf(patterns);
        this.hideAll = all;
        this.allToolsLimits = List.copyOf(allToolsLimits);
        Map<String, ToolRule> exact = new LinkedHashMap<>();
        List<Map.Entry<ToolNamePattern, ToolRule>> globs = new ArrayList<>();
        ToolRule star = null;
        for (ToolRule rule : tools) {
            ToolNamePattern pattern = ToolNamePattern.of(rule.key());
            if (rule.key().equals("*")) {
                star = rule;
            } else if (pattern.isGlob()) {
                globs.add(Map.entry(pattern, rule));
            } else {
                exact.put(rule.key(), rule);
            }
        }
        // Most specific first; the sort is stable, so document order breaks ties.
        globs.sort(Comparator.comparingInt((Map.Entry<ToolNamePattern, ToolRule> e) -> -e.getKey().literalLength()));
        this.exactRules = java.util.Collections.unmodifiableMap(exact); // document order, for explain
        this.globRules = List.copyOf(globs);
        this.everyTool = star;
    }

    public boolean defaultAllow() {
        return defaultAllow;
    }

    /** The {@code hide} entries as written (names, globs, {@code "*"}). */
    public List<String> hide() {
        return hide;
    }

    public boolean isHidden(String tool) {
        if (hideAll || hiddenNames.contains(tool)) {
            return true;
        }
        for (ToolNamePattern pattern : hiddenPatterns) {
            if (pattern.matches(tool)) {
                return true;
            }
        }
        return false;
    }

    /** The tool's own rule (exact key, else the most specific glob), or null when the tool is not listed. */
    public ToolRule ownRule(String tool) {
        ToolRule exact = exactRules.get(tool);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<ToolNamePattern, ToolRule> glob : globRules) {
            if (glob.getKey().matches(tool)) {
                return glob.getValue();
            }
        }
        return null;
    }

    /** The {@code "*"} entry, or null. */
    public ToolRule everyToolRule() {
        return everyTool;
    }

    public List<Limit> allToolsLimits() {
        return allToolsLimits;
    }

    /** Every tool entry: exact, globs, then {@code "*"}. */
    public List<ToolRule> toolRules() {
        List<ToolRule> all = new ArrayList<>(exactRules.values());
        globRules.forEach(e -> all.add(e.getValue()));
        if (everyTool != null) {
            all.add(everyTool);
        }
        return all;
    }

    /** Limits from {@code policylayer.limit.*} properties, in the order given. */
    public List<PatternLimit> patternLimits() {
        return patternLimits;
    }

    public int hideCount() {
        return hiddenNames.size() + hiddenPatterns.size() + (hideAll ? 1 : 0);
    }

    public boolean hasLimits() {
        if (!allToolsLimits.isEmpty() || !patternLimits.isEmpty()) {
            return true;
        }
        for (ToolRule rule : toolRules()) {
            if (!rule.limits().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
