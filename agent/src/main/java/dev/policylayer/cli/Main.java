package dev.policylayer.cli;

/** {@code java -jar policylayer.jar <command>}: the same jar as the agent, as a command-line tool. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new Cli(System.out, System.err).run(args));
    }
}
