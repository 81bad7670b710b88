package dev.policylayer.cli;

import dev.policylayer.engine.grants.Grant;
import dev.policylayer.engine.grants.Grants;
import dev.policylayer.engine.load.GrantsLoader;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code grants check <file>}: validates a grants file and the policies its grants name, and says who each grant
 * recognises (how many tokens, which principals; never a hash or a header value). {@code grants hash}: the SHA-256
 * a grants file stores for the token read from standard input (never from the command line, which shells keep in
 * their history).
 */
final class GrantsCommand {
    /** A token is a line; anything longer than this is not one. */
    private static final int MAX_TOKEN_BYTES = 16 * 1024;

    private GrantsCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("hash")) {
            return hash(in, out, err);
        }
        if (args.length == 2 && args[0].equals("check")) {
            return check(Path.of(args[1]), out, err);
        }
        err.println("usage: grants check <grants-file> | grants hash  (the token on standard input)");
        return Cli.USAGE;
    }

    private static int hash(InputStream in, PrintStream out, PrintStream err) {
        byte[] read;
        try {
            read = in.readNBytes(MAX_TOKEN_BYTES + 1);
        } catch (IOException unreadable) {
            err.println("could not read the token from standard input: " + unreadable.getMessage());
            return Cli.INVALID;
        }
        String token = new String(read, StandardCharsets.UTF_8).strip();
        if (read.length > MAX_TOKEN_BYTES || token.isEmpty() || token.contains("\n")) {
            err.println("give one token on standard input, e.g.: printf %s \"$TOKEN\" | java -jar policylayer.jar"
                    + " grants hash");
            return Cli.USAGE;
        }
        out.println(Grants.sha256(token));
        return Cli.OK;
    }

    private static int check(Path file, PrintStream out, PrintStream err) {
        Grants grants;
        try {
            grants = GrantsLoader.load(file, ReadLimits.DEFAULT);
        } catch (PolicyLoadException invalid) {
            invalid.problems().forEach(problem -> err.println(problem.describe()));
            return Cli.INVALID;
        }
        int code = Cli.OK;
        out.println("OK: " + grants.source() + ": " + grants.all().size() + " grants, sha256 " + grants.hash());
        for (Grant grant : grants.all()) {
            StringBuilder line = new StringBuilder("  ").append(grant.label()).append(':');
            if (!grant.tokenHashes().isEmpty()) {
                line.append(' ').append(grant.tokenHashes().size()).append(" token(s);");
            }
            if (!grant.principals().isEmpty()) {
                line.append(" principals ").append(String.join(", ", grant.principals().stream().sorted().toList()))
                        .append(';');
            }
            if (!grant.headerValues().isEmpty()) {
                line.append(' ').append(grant.headerValues().size()).append(" header value(s);");
            }
            if (grant.label().equals(grants.fallback())) {
                line.append(" callers nobody recognises;");
            }
            line.append(" policy ").append(grant.policy() == null ? "the main one" : grant.policy());
            out.println(line);
            if (grant.policy() != null && Cli.load(grant.policy().toString(), err) == null) {
                code = Cli.INVALID;
            }
        }
        out.println("  unknown callers: " + (grants.fallback() == null ? "denied (no grant)"
                : "grant \"" + grants.fallback() + "\""));
        return code;
    }
}
