package dev.policylayer.engine.counter;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads what a shared counter file holds, while the JVMs that use it keep running: it maps the file read-only, so
 * it can never change a count, take a lock, or need more than read permission. A counter being created or
 * reclaimed at that instant may be missed; what is listed is what counted when it was read.
 */
public final class CounterFileReader {

    private CounterFileReader() {
    }

    /**
     * Every counter in {@code file} with what counts in its window now, sorted by counter name and whose.
     *
     * @throws CounterStoreOpenException when the file is missing, unreadable, or not a counter file
     */
    public static List<CounterReading> read(Path file, Clock clock) {
        Path path = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new CounterStoreOpenException("no counter file at " + path, null);
        }
        CounterTable table;
        try {
            table = CounterFile.mapReadOnly(path);
        } catch (IOException e) {
            throw new CounterStoreOpenException("cannot read counter file " + path + " (" + e.getMessage() + ")", e);
        }
        Memory memory = table.memory();
        List<CounterReading> readings = new ArrayList<>();
        table.forEachLive(live -> {
            CounterReading reading = reading(memory, live, clock);
            if (reading != null) {
                readings.add(reading);
            }
        });
        readings.sort(Comparator.comparing(CounterReading::counter).thenComparing(CounterReading::scope)
                .thenComparing(CounterReading::whose));
        return readings;
    }

    /** Null for a counter being created or reclaimed this instant, or a key of a shape we do not write. */
    private static CounterReading reading(Memory memory, CounterTable.LiveSlot live, Clock clock) {
        long block = live.block();
        if (CounterBlock.isDead(memory.read(block))) {
            return null;
        }
        long specWord = CounterBlock.readSpecWord(memory, block);
        Algorithm algorithm = CounterBlock.algorithm(specWord);
        long window = CounterBlock.windowMillis(specWord);
        String[] parts = parseKey(live.key(), live.cutShort());
        if (algorithm == null || window < 1000 || parts == null) {
            return null;
        }
        CounterSpec spec = new CounterSpec(window, CounterUnits.MAX_UNITS, algorithm);
        long cells = CounterBlock.cells(block);
        long units = algorithm == Algorithm.SLIDING ? SlidingWindow.current(memory, cells, spec, clock)
                : FixedWindow.current(memory, cells, spec, clock);
        BigDecimal amount = CounterUnits.toDecimal(units);
        return new CounterReading(parts[1], parts[0], parts[2], algorithm, window, amount);
    }

    /**
     * {@code scope:len:name:len:identity} (then NUL and the window): scope, name, identity; null if not. A key
     * stored cut short (a long name or identity) keeps what survived, followed by {@code …}.
     */
    public static String[] parseKey(String tableKey, boolean cutShort) {
        int end = tableKey.indexOf('\u0000');
        String key = end < 0 ? tableKey : tableKey.substring(0, end);
        try {
            int colon = key.indexOf(':');
            String scope = key.substring(0, colon);
            int nameLengthEnd = key.indexOf(':', colon + 1);
            int nameLength = Integer.parseInt(key.substring(colon + 1, nameLengthEnd));
            int nameEnd = nameLengthEnd + 1 + nameLength;
            if (nameEnd > key.length()) {
                return cutShort ? new String[] {scope, key.substring(nameLengthEnd + 1) + "…", "…"} : null;
            }
            String name = key.substring(nameLengthEnd + 1, nameEnd);
            int identityLengthEnd = key.indexOf(':', nameEnd + 1);
            if (identityLengthEnd < 0) {
                return cutShort ? new String[] {scope, name, "…"} : null;
            }
            int identityLength = Integer.parseInt(key.substring(nameEnd + 1, identityLengthEnd));
            int identityEnd = identityLengthEnd + 1 + identityLength;
            String identity = identityEnd <= key.length() ? key.substring(identityLengthEnd + 1, identityEnd)
                    : key.substring(identityLengthEnd + 1) + "…";
            return new String[] {scope.replace("#", ""), name, identity};
        } catch (RuntimeException notOurs) {
            return null;
        }
    }
}
