package dev.policylayer.agent.integration;

import dev.policylayer.agent.integration.langchain4j.LangChain4jClient;
import dev.policylayer.agent.integration.mcpsdk.client.McpSdkClient;
import dev.policylayer.agent.integration.mcpsdk.server.McpSdkServer;
import dev.policylayer.agent.integration.servlet.ServletRequests;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every integration the agent runs, looked up by the id their advice passes to the gate. */
public final class Integrations {
    private final List<Integration> all;
    private final Map<String, Integration> byId = new HashMap<>();

    public Integrations(List<Integration> all) {
        this.all = List.copyOf(all);
        for (Integration integration : this.all) {
            if (byId.put(integration.id(), integration) != null) {
                throw new IllegalArgumentException("two integrations with id " + integration.id());
            }
        }
    }

    /** The libraries the agent decides tool calls in: adding one is a folder and a line here. */
    public static Integrations standard() {
        return standard(false);
    }

    /**
     * As {@link #standard()}; with {@code readCallers} (a {@code policylayer.identity} that reads the request), also
     * the libraries whose requests carry the callers' identities.
     */
    public static Integrations standard(boolean readCallers) {
        List<Integration> all = new ArrayList<>(List.of(
                new McpSdkServer(),
                new McpSdkClient(),
                new LangChain4jClient()));
        if (readCallers) {
            all.add(new ServletRequests());
        }
        return new Integrations(all);
    }

    public List<Integration> all() {
        return all;
    }

    /** The integration with {@code id}; throws for an id no integration has (advice of another build). */
    public Integration byId(String id) {
        Integration integration = byId.get(id);
        if (integration == null) {
            throw new UnknownShapeException("no integration has the id \"" + id + "\"", null);
        }
        return integration;
    }
}
