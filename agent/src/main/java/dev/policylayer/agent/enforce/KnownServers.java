package dev.policylayer.agent.enforce;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The MCP servers that have served a tools/list or tools/call in this JVM, so a changed hide list can be
 * announced to their clients. Held weakly: a server the app drops is not kept alive by the agent.
 */
public final class KnownServers {
    private final Map<Object, Boolean> servers = Collections.synchronizedMap(new WeakHashMap<>());

    void add(Object server) {
        if (server != null && server.getClass().getName().startsWith("io.modelcontextprotocol.server.")) {
            servers.put(server, Boolean.TRUE);
        }
    }

    public List<Object> all() {
        synchronized (servers) {
            return new ArrayList<>(servers.keySet());
        }
    }
}
