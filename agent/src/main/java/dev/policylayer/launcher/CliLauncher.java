package dev.policylayer.launcher;

/** {@code java -jar policylayer.jar <command>}: the command-line tool, run inside the agent's own class loader. */
public final class CliLauncher {
    private static final String CLI_MAIN = "dev.policylayer.cli.Main";

    private CliLauncher() {
    }

    public static void main(String[] args) {
        try {
            ClassLoader agent = AgentLauncher.open();
            Thread.currentThread().setContextClassLoader(agent);
            Class.forName(CLI_MAIN, true, agent).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (Exception | LinkageError broken) {
            System.err.println("error: the policylayer jar cannot run its command line (" + broken + ")");
            System.exit(1);
        }
    }
}
