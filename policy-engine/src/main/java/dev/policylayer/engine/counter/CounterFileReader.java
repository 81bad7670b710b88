package dev.policylayer.engine.counter;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Reads what a shared counter file holds, while the JVMs that use it keep running. It joins the file as one
 * more user (so no process starting meanwhile "recovers" it under our feet), never recovers, inserts or
 * removes anything, and pins each counter only for the instant it reads it, as a counting process does.
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
        if (!Files.isReadable(path) || !Files.isWritable(path)) {
            // Chronicle maps the file read-write even to read it; its locks live in the mapping.
            throw new CounterStoreOpenException("counter file " + path + " must be readable and writable by this"
                    + " user to be read (Chronicle maps it read-write); run as the user of the agent's JVMs", null);
        }
        CounterFileHeader.check(path);
        ChronicleSetup.prepare();
        ChronicleMap<CharSequence, byte[]> map;
        try {
            map = FileUsers.enter(path, alone -> ChronicleCounterStore.builder(1024).createPersistedTo(path.toFile()));
        } catch (IOException | RuntimeException | Error e) {
            throw new CounterStoreOpenException("cannot open counter file " + path + " (" + e + ")", e);
        }
        try {
            if (!ChronicleCounterStore.hasOurHeader(map)) {
                throw new CounterStoreOpenException(path + " is not a counter file of this version", null);
            }
            List<CounterReading> readings = new ArrayList<>();
            map.forEachEntry(entry -> {
                String key = entry.key().get().toString();
                if (key.equals(ChronicleCounterStore.HEADER_KEY) || entry.value().size() != CounterBlock.VALUE_BYTES) {
                    return;
                }
                CounterReading reading = reading(key, ChronicleCounterStore.block(entry), clock);
                if (reading != null) {
                    readings.add(reading);
                }
            });
            readings.sort(Comparator.comparing(CounterReading::counter).thenComparing(CounterReading::scope)
                    .thenComparing(CounterReading::whose));
            return readings;
        } finally {
            map.close();
            FileUsers.leave(path);
        }
    }

    /** Null for a counter being created or reclaimed this instant, or a key of a shape we do not write. */
    private static CounterReading reading(String mapKey, long block, Clock clock) {
        long incarnation = CounterBlock.incarnation(block);
        if (incarnation == 0 || !CounterBlock.pin(block, incarnation)) {
            return null;
        }
        try {
            long specWord = CounterBlock.readSpecWord(block);
            Algorithm algorithm = CounterBlock.algorithm(specWord);
            long window = CounterBlock.windowMillis(specWord);
            String[] parts = parseKey(mapKey);
            if (algorithm == null || window < 1000 || parts == null) {
                return null;
            }
            CounterSpec spec = new CounterSpec(window, CounterUnits.MAX_UNITS, algorithm);
            long cells = CounterBlock.cells(block);
            long units = algorithm == Algorithm.SLIDING ? SlidingWindow.current(cells, spec, clock)
                    : FixedWindow.current(cells, spec, clock);
            BigDecimal amount = CounterUnits.toDecimal(units);
            return new CounterReading(parts[1], parts[0], parts[2], algorithm, window, amount);
        } finally {
            CounterBlock.unpin(block);
        }
    }

    /** {@code scope:len:name:len:identity} (then NUL and the window): scope, name, identity; null if not. */
    static String[] parseKey(String mapKey) {
        int end = mapKey.indexOf('\u0000');
        String key = end < 0 ? mapKey : mapKey.substring(0, end);
        try {
            int colon = key.indexOf(':');
            String scope = key.substring(0, colon);
            int nameLengthEnd = key.indexOf(':', colon + 1);
            int nameLength = Integer.parseInt(key.substring(colon + 1, nameLengthEnd));
            String name = key.substring(nameLengthEnd + 1, nameLengthEnd + 1 + nameLength);
            int identityStart = nameLengthEnd + 1 + nameLength + 1;
            int identityLengthEnd = key.indexOf(':', identityStart);
            int identityLength = Integer.parseInt(key.substring(identityStart, identityLengthEnd));
            String identity = key.substring(identityLengthEnd + 1, identityLengthEnd + 1 + identityLength);
            return new String[] {scope, name, identity};
        } catch (RuntimeException notOurs) {
            return null;
        }
    }
}
