package dev.policylayer.cli;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.load.EffectivePolicy;
import dev.policylayer.engine.load.JsonValues;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** {@code simulate}: the decisions a series of identical calls would get, counted as the agent would count them. */
final class Simulation {

    private Simulation() {
    }

    @SuppressWarnings("unchecked")
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].startsWith("--")) {
            err.println("simulate needs a policy file first");
            return Cli.USAGE;
        }
        String tool = null;
        Object arguments = Map.of();
        int times = 1;
        String session = "simulated-session";
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                err.println(args[i] + " needs a value");
                return Cli.USAGE;
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--tool" -> tool = value;
                case "--args" -> {
                    try {
                        arguments = JsonValues.parse(value);
                    } catch (IllegalArgumentException notJson) {
                        err.println("--args is not JSON: " + notJson.getMessage());
                        return Cli.USAGE;
                    }
                    if (!(arguments instanceof Map)) {
                        err.println("--args must be a JSON object, like {\"amount\": 5}");
                        return Cli.USAGE;
                    }
                }
                case "--times" -> {
                    try {
                        times = Integer.parseInt(value);
                    } catch (NumberFormatException notANumber) {
                        times = 0;
                    }
                    if (times < 1 || times > 100_000) {
                        err.println("--times must be a whole number from 1 to 100000");
                        return Cli.USAGE;
                    }
                }
                case "--session" -> session = value;
                default -> {
                    err.println("unknown option " + args[i]);
                    return Cli.USAGE;
                }
            }
        }
        if (tool == null) {
            err.println("simulate needs --tool NAME");
            return Cli.USAGE;
        }
        EffectivePolicy policy = Cli.load(args[0], err);
        if (policy == null) {
            return Cli.INVALID;
        }
        OffHeapCounterStore counters = policy.hasLimits() ? OffHeapCounterStore.inMemory(Clock.systemUTC(), 1_000)
                : null;
        try {
            PolicyEngine engine = PolicyEngine.create(policy, counters, "default");
            ToolCall call = new ToolCall(tool, (Map<String, Object>) arguments, Side.SERVER, session);
            for (int i = 1; i <= times; i++) {
                Decision decision = engine.decide(call);
                decision.reservation().commit();
                out.println(i + "\t" + decision.verdict() + "\t" + decision.rule()
                        + (decision.allowed() ? "" : "\t" + decision.message()));
            }
            return Cli.OK;
        } finally {
            if (counters != null) {
                counters.close();
            }
        }
    }
}
