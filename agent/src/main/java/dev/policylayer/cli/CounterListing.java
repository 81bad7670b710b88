package dev.policylayer.cli;

import dev.policylayer.engine.counter.CounterFileReader;
import dev.policylayer.engine.counter.CounterFiles;
import dev.policylayer.engine.counter.CounterReading;
import dev.policylayer.engine.counter.CounterStoreOpenException;
import dev.policylayer.engine.load.WindowText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** {@code counters <file>}: what a shared counter file holds now, read while the agent's JVMs run. */
final class CounterListing {

    private CounterListing() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 2 && args[0].equals("reset")) {
            return reset(Path.of(args[1]), out, err);
        }
        if (args.length >= 1 && (args[0].startsWith("redis://") || args[0].startsWith("rediss://"))) {
            return RedisCounterListing.run(args, out, err);
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("counters takes one argument: the shared counter file or redis:// URL (policylayer.counters);"
                    + " or: counters reset <file>");
            return Cli.USAGE;
        }
        List<CounterReading> readings;
        try {
            readings = CounterFileReader.read(Path.of(args[0]), Clock.systemUTC());
        } catch (CounterStoreOpenException | IllegalStateException unreadable) {
            err.println(unreadable.getMessage());
            return Cli.INVALID;
        }
        if (readings.isEmpty()) {
            out.println("no counters in " + args[0]);
            return Cli.OK;
        }
        print(readings, out);
        return Cli.OK;
    }

    static void print(List<CounterReading> readings, PrintStream out) {
        String format = "%-24s %-8s %-24s %-8s %-8s %s%n";
        out.printf(format, "COUNTER", "SCOPE", "WHOSE", "WINDOW", "KIND", "IN WINDOW");
        for (CounterReading r : readings) {
            out.printf(format, r.counter(), r.scope(), r.whose().isEmpty() ? "-" : r.whose(),
                    WindowText.format(r.windowMillis()), r.algorithm().name().toLowerCase(Locale.ROOT),
                    r.inWindow().toPlainString());
        }
    }

    /** {@code counters reset <file>}: starts the file's limits from zero, once no process uses it. */
    private static int reset(Path file, PrintStream out, PrintStream err) {
        try {
            if (!CounterFiles.reset(file)) {
                err.println("counter file " + file + " is still in use by running processes; stop them first");
                return Cli.INVALID;
            }
        } catch (java.io.IOException | RuntimeException failed) {
            err.println("could not reset counter file " + file + ": " + failed.getMessage());
            return Cli.INVALID;
        }
        out.println("reset " + file + ": its counts are gone, and every limit starts from zero when the next process"
                + " opens it");
        return Cli.OK;
    }
}
