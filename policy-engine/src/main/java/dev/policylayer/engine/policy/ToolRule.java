package dev.policylayer.engine.policy;

import dev.policylayer.engine.approval.ApprovalSpec;
import java.util.List;

/**
 * The rules of one {@code tools} entry: an exact name, a glob such as {@code github_*}, or {@code *}.
 *
 * @param key     the key as written
 * @param pointer {@code /tools/<key>} (JSON-pointer escaped), or the property it came from
 * @param onDeny  the text the model reads on a denial ({@code on_deny} or its alias {@code reason}), or null
 * @param approval how calls are approved, for {@code action: require_approval} ({@code approval}, or the
 *                 defaults); null for other actions
 */
public record ToolRule(String key, String pointer, Action action, List<Condition> require,
                       List<Condition> denyIf, List<Limit> limits, String onDeny, ApprovalSpec approval) {
    public ToolRule {
        require = List.copyOf(require);
        denyIf = List.copyOf(denyIf);
        limits = List.copyOf(limits);
    }
}
