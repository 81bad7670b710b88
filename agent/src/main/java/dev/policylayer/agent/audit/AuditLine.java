package dev.policylayer.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.policylayer.agent.gate.DecisionRecord;
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

    /** The line that says lines were lost because the queue was full. */
    static String dropped(long count, long total) {
        return "{\"ts\":\"" + Instant.now() + "\",\"event\":\"audit_lines_dropped\",\"count\":" + count
                + ",\"total\":" + total + "}";
    }
}
