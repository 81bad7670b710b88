package dev.policylayer.agent.approval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.text.Quoted;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Tells a reviewer of a new pending approval: a small JSON POSTed to {@code policylayer.approval.webhook} (id,
 * tool, grant, argument keys, when it expires, how to approve). Sent from the HTTP client's own threads, bounded
 * by {@link #TIMEOUT}: a slow or failing receiver never holds a call, and is logged once. Argument values are not
 * sent: only the keys, which are all the store keeps.
 */
public final class Webhook {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final URI target;
    /** The target as logs name it: without user info or query, where a receiver's secret may sit. */
    private final String shown;
    private final HttpClient client;

    public Webhook(URI target) {
        this.target = target;
        this.shown = target.getScheme() + "://" + target.getHost() + (target.getPort() < 0 ? "" : ":"
                + target.getPort()) + (target.getRawPath() == null ? "" : target.getRawPath());
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    void requested(Approval approval, String howToApprove) {
        String body;
        try {
            body = json(approval, howToApprove);
        } catch (IOException impossible) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null) {
                    AgentLog.errorOnce("webhook-" + failure.getClass().getName(), "the approval webhook "
                            + shown + " could not be called; approvals still work without it", failure);
                } else if (response.statusCode() / 100 != 2) {
                    AgentLog.warnOnce("webhook-status-" + response.statusCode(), "the approval webhook " + shown
                            + " answered HTTP " + response.statusCode() + "; approvals still work without it");
                }
            });
        } catch (RuntimeException refused) {
            AgentLog.errorOnce("webhook-" + refused.getClass().getName(), "the approval webhook " + shown
                    + " could not be called", refused);
        }
    }

    static String json(Approval approval, String howToApprove) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("event", "approval_requested");
            json.writeStringField("id", approval.id());
            json.writeStringField("tool", Quoted.name(approval.key().tool()));
            json.writeStringField("grant", Quoted.name(approval.key().grant()));
            json.writeArrayFieldStart("argument_keys");
            for (String key : approval.argumentKeys()) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeStringField("requested_at", approval.requestedAt().toString());
            json.writeStringField("expires_at", approval.expiresAt().toString());
            json.writeStringField("approve", howToApprove);
            json.writeEndObject();
        }
        return text.toString();
    }
}
