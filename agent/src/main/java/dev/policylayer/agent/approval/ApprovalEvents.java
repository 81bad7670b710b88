package dev.policylayer.agent.approval;

import dev.policylayer.agent.audit.AuditLog;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.approval.ApprovalEvent;
import dev.policylayer.engine.text.Quoted;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the agent does as approvals change: an audit line each (requested, approved, denied, expired, used), a log
 * line for a new request saying how to approve it, and the webhook. An approval decided in another process (the
 * operator's command) is audited here when this process first sees it decided, once.
 */
public final class ApprovalEvents implements Consumer<ApprovalEvent> {
    private static final int REMEMBERED = 10_000;

    private final AuditLog audit;
    private final Webhook webhook;
    private final String operatorArgument;
    /** Decisions already audited here (id and state), most recent last; bounded. */
    private final Set<String> announced = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    /**
     * @param audit            the audit log, or null without one
     * @param webhook          where new requests are POSTed, or null
     * @param operatorArgument what {@code approvals <store>} takes to reach the store, or null for one in this JVM
     */
    public ApprovalEvents(AuditLog audit, Webhook webhook, String operatorArgument) {
        this.audit = audit;
        this.webhook = webhook;
        this.operatorArgument = operatorArgument;
    }

    @Override
    public void accept(ApprovalEvent event) {
        Approval approval = event.approval();
        if (event.type() == ApprovalEvent.Type.DECIDED) {
            synchronized (announced) {
                if (!announced.add(approval.id() + " " + approval.state())) {
                    return;
                }
            }
        }
        if (audit != null) {
            audit.approval(event);
        }
        if (event.type() == ApprovalEvent.Type.REQUESTED) {
            AgentLog.info("approval " + approval.id() + " requested: tool \"" + Quoted.name(approval.key().tool())
                    + "\", grant " + Quoted.name(approval.key().grant()) + "; " + howToApprove(approval.id()));
            if (webhook != null) {
                webhook.requested(approval, howToApprove(approval.id()));
            }
        }
    }

    /** The operator's next step, as the log and the webhook say it. */
    String howToApprove(String id) {
        return operatorArgument == null
                ? "approve it on the agent's MBean (dev.policylayer:type=Agent, operation approve(\"" + id + "\", 1, \"1h\"))"
                : "approve it with: java -jar policylayer.jar approvals " + operatorArgument + " approve " + id;
    }
}
