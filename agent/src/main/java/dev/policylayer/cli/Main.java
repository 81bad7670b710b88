package dev.policylayer.cli;

import java.util.Arrays;

/**
 * {@code java -jar policylayer.jar <command>}: the same jar as the agent, as a command-line tool. Whatever goes
 * wrong ends in one line on stderr and the documented exit code, never a stack trace (unless {@code --debug}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        int code;
        try {
            code = new Cli(System.in, System.out, System.err).run(rest);
        } catch (Throwable unexpected) {
            System.err.println("error: " + (unexpected.getMessage() != null ? unexpected.getMessage()
                    : unexpected.toString()) + (debug ? "" : " (run with --debug for details)"));
            if (debug) {
                unexpected.printStackTrace();
            }
            code = Cli.INVALID;
        }
        System.out.flush();
        System.exit(code);
    }
}
