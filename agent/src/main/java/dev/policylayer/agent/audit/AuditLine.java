package dev.policylayer.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.policylayer.agent.gate.DecisionRecord;
import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.approval.ApprovalEvent;
import dev.policylayer.engine.text.Quoted;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Formats one decision as the audit's JSON line. Keys only, never argument values (see the record). Every
 * character outside ASCII is written as a {@code \\uXXXX} escape, so a line is plain ASCII whatever a caller put in
 * a name (a lone surrogate, a control character): it always encodes, and always parses back to what was recorded.
 */
final class AuditLine {
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private AuditLine() {
    }

    static String of(DecisionRecord d) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("ts", Instant.ofEpochMilli(d.epochMillis()).toString());
            json.writeStringField("side", d.side().tag());
            json.writeStringField("tool", d.tool());
            json.writeStringField("verdict", d.verdictTag());
            json.writeBooleanField("enforced", d.enforced());
            json.writeStringField("rule", d.rule());
            if (!d.allowed()) {
                json.writeStringField("reason", d.kind().tag());
            }
            json.writeStringField("message", d.message());
            if (d.uncounted() != null) {
                json.writeStringField("uncounted", d.uncounted());
            }
            if (d.approvalId() != null) {
                json.writeStringField("approval_id", d.approvalId());
            }
            json.writeStringField("grant", d.grant());
            json.writeStringField("session", d.session());
            json.writeArrayFieldStart("argument_keys");
            for (String key : d.argumentKeys()) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeStringField("policy_hash", d.policyHash());
            json.writeNumberField("latency_ns", d.latencyNanos());
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * One approval event: {@code "event": "approval"} and what happened ({@code requested}, {@code approved},
     * {@code denied}, {@code expired}, {@code used}), with the approval id; argument keys, never values.
     */
    static String of(ApprovalEvent event) {
        Approval a = event.approval();
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("ts", Instant.now().toString());
            json.writeStringField("event", "approval");
            json.writeStringField("approval", tag(event));
            json.writeStringField("approval_id", a.id());
            json.writeStringField("tool", Quoted.name(a.key().tool()));
            json.writeStringField("grant", Quoted.name(a.key().grant()));
            json.writeArrayFieldStart("argument_keys");
            for (String key : a.argumentKeys()) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeNumberField("uses", a.uses());
            json.writeNumberField("used", a.used());
            json.writeStringField("expires_at", a.expiresAt().toString());
            if (a.decidedBy() != null) {
                json.writeStringField("by", Quoted.name(a.decidedBy()));
            }
            if (a.reason() != null) {
                json.writeStringField("reason", Quoted.name(a.reason()));
            }
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return text.toString();
    }

    /** {@code requested}, {@code approved}, {@code denied}, {@code expired}, {@code used}. */
    static String tag(ApprovalEvent event) {
        return switch (event.type()) {
            case REQUESTED -> "requested";
            case DECIDED -> event.approval().state() == Approval.State.DENIED ? "denied" : "approved";
            case EXPIRED -> "expired";
            case USED -> "used";
        };
    }

    /** The line that says lines were lost because the queue was full. */
    static String dropped(long count, long total) {
        return "{\"ts\":\"" + Instant.now() + "\",\"event\":\"audit_lines_dropped\",\"count\":" + count
                + ",\"total\":" + total + "}";
    }
}
