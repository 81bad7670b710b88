package dev.policylayer.cli;

import dev.policylayer.engine.counter.CounterFileReader;
import dev.policylayer.engine.counter.CounterReading;
import dev.policylayer.engine.counter.CounterStoreOpenException;
import dev.policylayer.engine.counter.CounterUnits;
import dev.policylayer.engine.counter.redis.RedisCounterStore;
import dev.policylayer.engine.counter.redis.RedisLocation;
import dev.policylayer.engine.settings.CounterTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code counters redis://... [--prefix P] [--password-env NAME]}: the live counters of a Redis counter store, read
 * with SCAN (nothing is written). The password comes from the URL or the environment variable named, and is shown
 * nowhere.
 */
final class RedisCounterListing {

    private RedisCounterListing() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String prefix = CounterTarget.DEFAULT_REDIS_PREFIX;
        String passwordEnv = null;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                err.println(args[i] + " needs a value");
                return Cli.USAGE;
            }
            switch (args[i]) {
                case "--prefix" -> prefix = args[i + 1];
                case "--password-env" -> passwordEnv = args[i + 1];
                default -> {
                    err.println("unknown option " + args[i] + "; counters redis://... takes --prefix and --password-env");
                    return Cli.USAGE;
                }
            }
        }
        RedisLocation location;
        try {
            location = RedisLocation.parse(args[0], passwordEnv == null ? null : System.getenv(passwordEnv));
        } catch (IllegalArgumentException malformed) {
            err.println("the Redis URL " + malformed.getMessage());
            return Cli.USAGE;
        }
        List<RedisCounterStore.RedisCounter> counters;
        try (RedisCounterStore store = RedisCounterStore.open(location, prefix, Duration.ofSeconds(5))) {
            counters = store.list();
        } catch (CounterStoreOpenException | IllegalStateException unreachable) {
            err.println(unreachable.getMessage());
            return Cli.INVALID;
        }
        if (counters.isEmpty()) {
            out.println("no counters under " + prefix + " in " + location);
            return Cli.OK;
        }
        List<CounterReading> readings = new ArrayList<>();
        for (RedisCounterStore.RedisCounter counter : counters) {
            String[] parts = CounterFileReader.parseKey(counter.key(), counter.key().endsWith("…"));
            if (parts != null) {
                readings.add(new CounterReading(parts[1], parts[0], parts[2], counter.algorithm(),
                        counter.windowMillis(), CounterUnits.toDecimal(counter.inWindow())));
            }
        }
        CounterListing.print(readings, out);
        return Cli.OK;
    }
}
