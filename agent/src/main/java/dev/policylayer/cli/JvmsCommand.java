package dev.policylayer.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.policylayer.agent.status.AgentStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code jvms}: the JVMs of this user on this host, each with the MCP libraries loaded in it (read with the
 * {@code VM.class_hierarchy} diagnostic command, which loads nothing into them) and whether the agent runs there.
 */
final class JvmsCommand {
    /** A class that is loaded once a library serves or calls MCP tools, and what to call the library. */
    private static final Map<String, String> MARKERS = Map.of(
            "io.modelcontextprotocol.server.McpAsyncServer", "MCP SDK server",
            "io.modelcontextprotocol.server.McpStatelessAsyncServer", "MCP SDK stateless server",
            "io.modelcontextprotocol.client.McpAsyncClient", "MCP SDK client",
            "dev.langchain4j.mcp.client.DefaultMcpClient", "LangChain4j MCP client",
            "io.quarkiverse.mcp.server.runtime.ToolMessageHandler", "Quarkus MCP server (not intercepted yet)");

    private JvmsCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 0) {
            err.println("jvms takes no arguments");
            return Cli.USAGE;
        }
        List<VirtualMachineDescriptor> all = VirtualMachine.list();
        long self = ProcessHandle.current().pid();
        int shown = 0;
        for (VirtualMachineDescriptor descriptor : all) {
            long pid;
            try {
                pid = Long.parseLong(descriptor.id());
            } catch (NumberFormatException notAPid) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            shown++;
            String name = descriptor.displayName().isBlank() ? "(no main class)" : descriptor.displayName().split(" ",
                    2)[0];
            try (LocalJvm jvm = LocalJvm.attach(pid)) {
                Properties properties = jvm.properties();
                String agent = "running".equals(properties.getProperty(AgentStatus.STATE))
                        ? "agent: running, policy " + properties.getProperty(AgentStatus.POLICY, "(still loading)")
                        : "agent: not loaded";
                out.println(pid + "  " + name + "  " + libraries(jvm) + "  " + agent);
            } catch (LocalJvm.Refused unreachable) {
                out.println(pid + "  " + name + "  (" + unreachable.getMessage() + ")");
            }
        }
        if (shown == 0) {
            out.println("no other JVM of this user runs on this host");
        }
        return Cli.OK;
    }

    private static String libraries(LocalJvm jvm) {
        String classes = jvm.diagnostic("VM.class_hierarchy");
        if (classes == null) {
            return "MCP: unknown (this JDK runs no diagnostic command for the tool)";
        }
        List<String> found = new ArrayList<>();
        MARKERS.forEach((type, library) -> {
            if (classes.contains(type + "/") || classes.contains(type + " ")) {
                found.add(library);
            }
        });
        found.sort(null);
        return found.isEmpty() ? "MCP: none loaded" : "MCP: " + String.join(", ", found);
    }
}
