package dev.policylayer.cli;

import dev.policylayer.engine.policy.Action;
import dev.policylayer.engine.policy.Condition;
import dev.policylayer.engine.policy.Limit;
import dev.policylayer.engine.policy.PatternLimit;
import dev.policylayer.engine.policy.Policy;
import dev.policylayer.engine.policy.ToolRule;
import java.util.List;
import java.util.Locale;

/** A policy told in words, for someone about to deploy it. */
final class Explanation {
    private final Policy policy;
    private final StringBuilder text = new StringBuilder();

    Explanation(Policy policy) {
        this.policy = policy;
    }

    String text() {
        line(policy.defaultAllow() ? "Tools the policy does not list are ALLOWED."
                : "Tools the policy does not list are DENIED.");
        if (!policy.hide().isEmpty()) {
            line("HIDDEN from tools/list, and denied when called by name: " + String.join(", ", policy.hide()) + ".");
        }
        for (ToolRule rule : policy.toolRules()) {
            tool(rule);
        }
        limits("Every call counts against", policy.allToolsLimits());
        for (PatternLimit patternLimit : policy.patternLimits()) {
            line("Calls to " + patternLimit.tools() + " count against " + limit(patternLimit.limit()) + ".");
        }
        return text.toString();
    }

    private void tool(ToolRule rule) {
        String name = rule.key().equals("*") ? "Every tool (after its own rules)" : "Tool \"" + rule.key() + "\""
                + (rule.key().contains("*") ? " (and every tool it matches)" : "");
        if (rule.action() == Action.DENY) {
            line(name + " is listed but every call is DENIED" + reason(rule) + ".");
            return;
        }
        if (rule.action() == Action.REQUIRE_APPROVAL) {
            line(name + " needs human APPROVAL for every call" + reason(rule) + ".");
        } else if (!rule.key().equals("*")) {
            line(name + " is ALLOWED" + (rule.require().isEmpty() && rule.denyIf().isEmpty()
                    && rule.limits().isEmpty() ? "." : ", but:"));
        } else {
            line(name + ":");
        }
        conditions("  requires", rule.require());
        conditions("  is denied when", rule.denyIf());
        limits("  counts against", rule.limits());
    }

    private void conditions(String lead, List<Condition> conditions) {
        for (Condition condition : conditions) {
            line(lead + " " + condition.predicate().describe() + "   (" + condition.pointer() + ")");
        }
    }

    private void limits(String lead, List<Limit> limits) {
        for (Limit limit : limits) {
            line(lead + " " + limit(limit) + "   (" + limit.pointer() + ")");
        }
    }

    private static String limit(Limit limit) {
        return limit.summary() + ", " + limit.spec().algorithm().name().toLowerCase(Locale.ROOT) + " window, per "
                + limit.scope().name().toLowerCase(Locale.ROOT) + " (counter \"" + limit.counter() + "\")";
    }

    private static String reason(ToolRule rule) {
        return rule.onDeny() == null ? "" : ": \"" + rule.onDeny() + "\"";
    }

    private void line(String line) {
        text.append(line).append(System.lineSeparator());
    }
}
