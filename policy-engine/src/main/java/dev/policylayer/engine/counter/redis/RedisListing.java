package dev.policylayer.engine.counter.redis;

import dev.policylayer.engine.counter.Algorithm;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterUnits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongBiFunction;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Reads every counter under a prefix, with SCAN (never KEYS, which would stall a busy server). Writes nothing. */
final class RedisListing {

    private RedisListing() {
    }

    static List<RedisCounterStore.RedisCounter> read(Jedis jedis, String prefix,
                                                      ToLongBiFunction<String, CounterSpec> current) {
        List<RedisCounterStore.RedisCounter> counters = new ArrayList<>();
        ScanParams match = new ScanParams().match(escape(prefix) + "\\{*}").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, match);
            for (String hash : page.getResult()) {
                List<String> about = jedis.hmget(hash, "n", "w", "a");
                if (about.get(0) == null || about.get(1) == null || about.get(2) == null) {
                    continue; // expired meanwhile, or not ours
                }
                long window = Long.parseLong(about.get(1));
                Algorithm algorithm = about.get(2).equals("s") ? Algorithm.SLIDING : Algorithm.FIXED;
                long units = current.applyAsLong(hash, new CounterSpec(window, CounterUnits.MAX_UNITS, algorithm));
                counters.add(new RedisCounterStore.RedisCounter(about.get(0), window, algorithm, units));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        counters.sort(Comparator.comparing(RedisCounterStore.RedisCounter::key));
        return counters;
    }

    /** A prefix as a SCAN pattern of itself (glob characters escaped). */
    private static String escape(String prefix) {
        StringBuilder out = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if ("*?[]\\{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
