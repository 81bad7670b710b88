package dev.policylayer.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.policylayer.agent.enforce.DecisionRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Formats one decision as the audit's JSON line. Keys only, never argument values (see the record). */
final class AuditLine {
    private static final JsonFactory JSON = new JsonFactory();

    private AuditLine() {
    }

    static String of(DecisionRecord d, String grant) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("ts", Instant.ofEpochMilli(d.epochMillis()).toString());
            json.writeStringField("side", d.side());
            json.writeStringField("tool", d.tool());
            json.writeStringField("verdict", d.verdict());
            json.writeBooleanField("enforced", d.enforced());
            json.writeStringField("rule", d.rule());
            if (!d.reason().isEmpty()) {
                json.writeStringField("reason", d.reason());
            }
            json.writeStringField("message", d.message());
            json.writeStringField("grant", grant);
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
