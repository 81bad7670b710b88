package dev.policylayer.cli;

import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.approval.ApprovalStorage;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.approval.ApprovalStoreException;
import dev.policylayer.engine.approval.FileApprovalStorage;
import dev.policylayer.engine.approval.RedisApprovalStorage;
import dev.policylayer.engine.counter.redis.RedisLocation;
import dev.policylayer.engine.load.WindowText;
import dev.policylayer.engine.settings.CounterTarget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code approvals <store> list|show <id>|approve <id> [--uses N] [--for 1h]|deny <id> [--reason TEXT]}: an
 * operator's decisions on the approvals the servers asked for, in a file or Redis store, made from another process
 * while they run. Who decided is the OS user running the command. An id that is unknown, expired or already
 * decided changes nothing (exit 1), as does a store that is not one or cannot be written.
 */
final class ApprovalsCommand {
    static final Duration DEFAULT_VALID_FOR = Duration.ofHours(1);
    private static final String USAGE = "usage: approvals <file | redis://...> [--prefix P] [--password-env NAME]"
            + " list | show <id> | approve <id> [--uses N] [--for 1h] | deny <id> [--reason TEXT]";

    private ApprovalsCommand() {
    }

    /** The command line, parsed: which store, what to do, to which id, with what. */
    private static final class Line {
        String store;
        String prefix = CounterTarget.DEFAULT_REDIS_PREFIX;
        String passwordEnv;
        String action;
        String id;
        int uses = 1;
        Duration validFor = DEFAULT_VALID_FOR;
        String reason;
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Line line = new Line();
        String problem = parse(args, line);
        if (problem != null) {
            err.println(problem);
            err.println(USAGE);
            return Cli.USAGE;
        }
        ApprovalStorage storage;
        try {
            storage = storage(line);
        } catch (IllegalArgumentException malformed) {
            err.println("the Redis URL " + malformed.getMessage());
            return Cli.USAGE;
        }
        try (ApprovalStore store = new ApprovalStore(storage, Clock.systemUTC())) {
            return act(line, store, out, err);
        } catch (ApprovalStoreException refused) {
            err.println(refused.getMessage());
            return Cli.INVALID;
        }
    }

    private static int act(Line line, ApprovalStore store, PrintStream out, PrintStream err)
            throws ApprovalStoreException {
        Instant now = store.now();
        switch (line.action) {
            case "list" -> {
                List<Approval> all = new ArrayList<>(store.list());
                all.sort(Comparator.comparing(Approval::requestedAt).reversed());
                if (all.isEmpty()) {
                    out.println("no approvals in " + store.describe());
                }
                all.forEach(approval -> out.println(approval.line(now)));
                return Cli.OK;
            }
            case "show" -> {
                Approval approval = store.get(line.id).orElse(null);
                if (approval == null) {
                    err.println("no approval " + line.id + " in " + store.describe());
                    return Cli.INVALID;
                }
                show(approval, now, out);
                return Cli.OK;
            }
            case "approve" -> {
                Approval approved = store.approve(line.id, line.uses, line.validFor, operator());
                out.println("approved: " + approved.line(store.now()));
                return Cli.OK;
            }
            default -> {
                Approval denied = store.deny(line.id, line.reason, operator());
                out.println("denied: " + denied.line(store.now()));
                return Cli.OK;
            }
        }
    }

    private static void show(Approval approval, Instant now, PrintStream out) {
        out.println("approval   " + approval.id());
        out.println("status     " + approval.status(now));
        out.println("tool       " + dev.policylayer.engine.text.Quoted.name(approval.key().tool()));
        out.println("grant      " + dev.policylayer.engine.text.Quoted.name(approval.key().grant()));
        out.println("arguments  " + approval.argumentKeys() + " (names only; the call is bound to their values"
                + " by fingerprint " + approval.key().fingerprint().substring(0, 12) + "…)");
        out.println("requested  " + approval.requestedAt());
        out.println((approval.expired(now) ? "expired    " : "expires    ") + approval.expiresAt());
        out.println("uses       " + approval.used() + " of " + approval.uses());
        if (approval.decidedBy() != null) {
            out.println("decided    " + approval.decidedAt() + " by " + approval.decidedBy());
        }
        if (approval.reason() != null) {
            out.println("reason     " + dev.policylayer.engine.text.Quoted.name(approval.reason()));
        }
    }

    /** What the store records as the decider: the OS user running this command. */
    private static String operator() {
        return System.getProperty("user.name", "unknown") + " (os user)";
    }

    private static ApprovalStorage storage(Line line) {
        if (line.store.startsWith("redis://") || line.store.startsWith("rediss://")) {
            RedisLocation location = RedisLocation.parse(line.store, line.passwordEnv == null ? null
                    : System.getenv(line.passwordEnv));
            return new RedisApprovalStorage(location, line.prefix, Duration.ofSeconds(5), true);
        }
        return new FileApprovalStorage(Path.of(line.store), true);
    }

    /** Fills {@code line} from {@code args}; what is wrong with them, or null. */
    private static String parse(String[] args, Line line) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                words.add(arg);
                continue;
            }
            if (i + 1 >= args.length) {
                return arg + " needs a value";
            }
            String value = args[++i];
            switch (arg) {
                case "--prefix" -> line.prefix = value;
                case "--password-env" -> line.passwordEnv = value;
                case "--uses" -> {
                    try {
                        line.uses = Integer.parseInt(value);
                    } catch (NumberFormatException notANumber) {
                        line.uses = 0;
                    }
                    if (line.uses < 1 || line.uses > 1_000_000) {
                        return "--uses takes a whole number from 1 to 1000000, not \"" + value + "\"";
                    }
                }
                case "--for" -> {
                    line.validFor = WindowText.duration(value);
                    if (line.validFor == null || line.validFor.isZero()) {
                        return "--for takes a duration such as 30m, 1h or 7d, not \"" + value + "\"";
                    }
                }
                case "--reason" -> line.reason = value;
                default -> {
                    return "unknown option " + arg;
                }
            }
        }
        if (words.size() < 2) {
            return "approvals takes a store and an action";
        }
        line.store = words.get(0);
        line.action = words.get(1);
        boolean needsId = !line.action.equals("list");
        if (!List.of("list", "show", "approve", "deny").contains(line.action)) {
            return "unknown action \"" + line.action + "\"";
        }
        if (words.size() != (needsId ? 3 : 2)) {
            return needsId ? line.action + " takes one approval id" : "list takes no id";
        }
        line.id = needsId ? words.get(2) : null;
        return null;
    }
}
