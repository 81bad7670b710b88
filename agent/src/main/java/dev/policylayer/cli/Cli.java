package dev.policylayer.cli;

import dev.policylayer.engine.load.EffectivePolicy;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The commands, with Unix exit codes: 0 success, 1 the policy (or counter file) is invalid or unreadable,
 * 2 the command line is wrong.
 */
public final class Cli {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    static final String HELP = """
            usage: java -jar policylayer.jar <command> [arguments]

            commands:
              validate <policy>    check a policy file; print every problem (exit 1 if any)
              explain <policy>     say in words what the policy allows, denies, hides and limits
              simulate <policy> --tool NAME [--args JSON] [--times N] [--session ID]
                                   the decisions a series of identical calls would get
              counters <file>      the counters in a shared counter file (policylayer.counters) and
                                   what counts in each window now; read-only, safe while JVMs run
              counters reset <file>
                                   start the file's limits from zero (once no process uses it)
              grants check <file>  check a grants file (policylayer.grants) and its grants' policies
              grants hash          the SHA-256 to store for the token given on standard input
              approvals <store> list | show <id> | approve <id> [--uses N] [--for 1h]
                                   | deny <id> [--reason TEXT]
                                   an operator's decision on a call that needs approval; <store> is
                                   the approval file or redis:// URL (policylayer.approvals)
              attach <pid> [--policy FILE] [--set key=value]...
                                   load the agent into a running JVM of this user, and say what it
                                   enforces there (exit 1 if it cannot, or already runs there)
              jvms                 this user's JVMs, their MCP libraries, and whether the agent runs
              help                 this text

            Any failure ends in one line and exit code 1 (2 for a wrong command line); --debug shows
            the stack trace.

            As an agent: java -javaagent:policylayer.jar -Dpolicylayer.policy=policy.json -jar app.jar
            """;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(PrintStream out, PrintStream err) {
        this(InputStream.nullInputStream(), out, err);
    }

    public Cli(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) {
        if (args.length == 0) {
            err.print(HELP);
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "help", "--help", "-h" -> {
                out.print(HELP);
                return OK;
            }
            case "validate" -> {
                return withPolicy(rest, "validate", policy -> {
                    out.println("OK: " + policy.source() + ": " + policy.ruleCount() + " rules, sha256 "
                            + policy.hash());
                    return OK;
                });
            }
            case "explain" -> {
                return withPolicy(rest, "explain", policy -> {
                    out.print(new Explanation(policy.policy()).text());
                    return OK;
                });
            }
            case "simulate" -> {
                return Simulation.run(rest, out, err);
            }
            case "counters" -> {
                return CounterListing.run(rest, out, err);
            }
            case "grants" -> {
                return GrantsCommand.run(rest, in, out, err);
            }
            case "approvals" -> {
                return ApprovalsCommand.run(rest, out, err);
            }
            case "attach" -> {
                return AttachCommand.run(rest, out, err);
            }
            case "jvms" -> {
                return JvmsCommand.run(rest, out, err);
            }
            default -> {
                err.println("unknown command \"" + args[0] + "\"");
                err.print(HELP);
                return USAGE;
            }
        }
    }

    interface PolicyCommand {
        int run(EffectivePolicy policy);
    }

    private int withPolicy(String[] args, String command, PolicyCommand action) {
        if (args.length != 1) {
            err.println(command + " takes one argument: the policy file");
            return USAGE;
        }
        EffectivePolicy policy = load(args[0], err);
        return policy == null ? INVALID : action.run(policy);
    }

    /** The policy in {@code file}, or null with every problem printed to {@code err}. */
    static EffectivePolicy load(String file, PrintStream err) {
        try {
            return PolicyLoader.load(Settings.of(Map.of("policylayer.policy", file)));
        } catch (PolicyLoadException invalid) {
            invalid.problems().forEach(problem -> err.println(problem.describe()));
            return null;
        }
    }
}
