package dev.policylayer.cli;

import dev.policylayer.agent.status.AgentStatus;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code attach <pid> [--policy FILE] [--set key=value]... [--wait SECONDS]}: loads this jar as the agent into a
 * running JVM of the same user, then waits until the agent there reports its choke points and prints them. An
 * agent already running there is not loaded twice: its policy is said instead (exit 1).
 */
final class AttachCommand {
    private static final String USAGE = "usage: attach <pid> [--policy FILE] [--set key=value]... [--wait SECONDS]";
    static final int DEFAULT_WAIT_SECONDS = 30;

    private AttachCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].matches("\\d{1,10}")) {
            err.println(args.length == 0 ? "attach takes the pid of a running JVM" : "not a pid: \"" + args[0] + "\"");
            err.println(USAGE);
            return Cli.USAGE;
        }
        long pid = Long.parseLong(args[0]);
        List<String> options = new ArrayList<>();
        int wait = DEFAULT_WAIT_SECONDS;
        for (int i = 1; i < args.length; i++) {
            if (i + 1 >= args.length) {
                err.println(args[i] + " needs a value");
                err.println(USAGE);
                return Cli.USAGE;
            }
            String value = args[++i];
            switch (args[i - 1]) {
                case "--policy" -> {
                    Path policy = Path.of(value).toAbsolutePath().normalize(); // the target's directory is not ours
                    if (!Files.isReadable(policy)) {
                        err.println("cannot read the policy " + policy);
                        return Cli.INVALID;
                    }
                    options.add("policy=" + policy);
                }
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        err.println("--set takes key=value (e.g. --set mode=monitor), not \"" + value + "\"");
                        return Cli.USAGE;
                    }
                    options.add(value.startsWith("policylayer.") ? value.substring("policylayer.".length()) : value);
                }
                case "--wait" -> {
                    if (!value.matches("\\d{1,4}")) {
                        err.println("--wait takes a number of seconds, not \"" + value + "\"");
                        return Cli.USAGE;
                    }
                    wait = Integer.parseInt(value);
                }
                default -> {
                    err.println("unknown option " + args[i - 1]);
                    err.println(USAGE);
                    return Cli.USAGE;
                }
            }
        }
        try (LocalJvm jvm = LocalJvm.attach(pid)) {
            Properties before = jvm.properties();
            if ("running".equals(before.getProperty(AgentStatus.STATE))) {
                err.println("the agent is already running in process " + pid + ": policy "
                        + before.getProperty(AgentStatus.POLICY, "(still loading)") + "; choke points: "
                        + chokePoints(before));
                return Cli.INVALID;
            }
            jvm.loadAgent(thisJar(), String.join(",", options));
            return report(jvm, wait, out, err);
        } catch (LocalJvm.Refused refused) {
            err.println(refused.getMessage());
            return Cli.INVALID;
        }
    }

    /** Waits for the agent's policy and choke points; what it enforces, or why it enforces nothing yet. */
    private static int report(LocalJvm jvm, int waitSeconds, PrintStream out, PrintStream err)
            throws LocalJvm.Refused {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        Properties now = jvm.properties();
        while ((now.getProperty(AgentStatus.POLICY) == null || now.getProperty(AgentStatus.CHOKE_POINTS) == null)
                && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                break;
            }
            now = jvm.properties();
        }
        String policy = now.getProperty(AgentStatus.POLICY);
        if (policy == null) {
            err.println("the agent was loaded into process " + jvm.pid() + " but did not report a policy within "
                    + waitSeconds + "s; see that process's stderr");
            return Cli.INVALID;
        }
        if (policy.startsWith("(")) {
            err.println("the agent runs in process " + jvm.pid() + ", but its policy " + policy + ": every tool call"
                    + " there is denied (unless policylayer.fail=open); see that process's stderr");
            return Cli.INVALID;
        }
        out.println("attached to process " + jvm.pid() + ": policy " + policy);
        String points = now.getProperty(AgentStatus.CHOKE_POINTS);
        if (points == null || points.isEmpty()) {
            out.println("no MCP library is loaded there yet: its tool calls are enforced from the moment one loads");
        } else {
            for (String point : points.split("; ")) {
                out.println("  enforcing " + point);
            }
        }
        return Cli.OK;
    }

    static String chokePoints(Properties properties) {
        String points = properties.getProperty(AgentStatus.CHOKE_POINTS, "");
        return points.isEmpty() ? "none yet" : points;
    }

    /** This jar: the agent to load is the very one running this command. */
    private static String thisJar() throws LocalJvm.Refused {
        try {
            return Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException | RuntimeException unknown) {
            throw new LocalJvm.Refused("cannot tell where policylayer.jar is (" + unknown + ")", unknown);
        }
    }
}
