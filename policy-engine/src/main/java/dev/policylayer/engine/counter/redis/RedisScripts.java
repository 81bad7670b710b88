package dev.policylayer.engine.counter.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The server-side scripts of the Redis counter store. Each counter is one hash (one key, so one Redis Cluster
 * slot): fields are bucket numbers (sliding) or window numbers (fixed) holding units, plus {@code n}, the counter's
 * key, for listing. The clock is Redis's own {@code TIME} (ARGV[1] empty), so hosts need not agree on time.
 *
 * <p>The same semantics as the off-heap store, step for step: a sliding window of W ms counts in buckets of
 * ⌈W/16⌉ ms and admits when the buckets from ⌊(now − W)/b⌋ to ⌊now/b⌋ hold at most max (never late, at most one
 * bucket early); a fixed window counts ⌊now/W⌋. A script checks every limit of the call first and writes only when
 * all fit, so a call refused by its third limit consumes nothing of the first two. Amounts and sums stay below
 * 2^53, exact in Lua's numbers.
 */
final class RedisScripts {
    private static final String NOW = """
            local now
            if ARGV[1] ~= '' then
              now = tonumber(ARGV[1])
            else
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function f(x) return string.format('%d', x) end
            """;

    /**
     * KEYS: one hash per limit. ARGV: now or '', then per limit: alg (s|f), window ms, max, amount, the counter's key.
     * Replies {1, tickets...} when every limit fits, else {0, the limit that does not (from 1), retry after ms}.
     */
    static final Script RESERVE = new Script(NOW + """
            local n = #KEYS
            local tickets = {}
            for i = 1, n do
              local a = 2 + (i - 1) * 5
              local alg, window, max, amount = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
              if alg == 's' then
                local bucket = math.ceil(window / 16)
                local e = math.floor(now / bucket)
                local oldest = math.floor((now - window) / bucket)
                local fields = {}
                for b = oldest, e do fields[#fields + 1] = f(b) end
                local values = redis.call('HMGET', KEYS[i], unpack(fields))
                local sum = 0
                for j = 1, #values do if values[j] then sum = sum + tonumber(values[j]) end end
                if sum + amount > max then
                  local retry = 0
                  if amount <= max then
                    local excess = sum + amount - max
                    retry = (e + 1) * bucket + window - now
                    for j = 1, #values do
                      if values[j] then excess = excess - tonumber(values[j]) end
                      if excess <= 0 then retry = (oldest + j) * bucket + window - now; break end
                    end
                    if retry < 1 then retry = 1 end
                  end
                  return {0, i, retry}
                end
                tickets[i] = e
              else
                local e = math.floor(now / window)
                local held = tonumber(redis.call('HGET', KEYS[i], f(e)) or '0')
                local limit = math.min(max, 1099511627775)
                if held + amount > limit then
                  local retry = 0
                  if amount <= limit then retry = (e + 1) * window - now end
                  return {0, i, retry}
                end
                tickets[i] = e
              end
            end
            local result = {1}
            for i = 1, n do
              local a = 2 + (i - 1) * 5
              local alg, window = ARGV[a], tonumber(ARGV[a + 1])
              -- A field holds more than this call's amount unless this call made it (a released field that
              -- reaches zero is deleted): only a new bucket needs the key's metadata, expiry and pruning, which
              -- keeps a steady stream of calls at one command per limit.
              if redis.call('HINCRBY', KEYS[i], f(tickets[i]), ARGV[a + 3]) == tonumber(ARGV[a + 3]) then
                redis.call('HSETNX', KEYS[i], 'n', ARGV[a + 4])
                redis.call('HSETNX', KEYS[i], 'w', ARGV[a + 1])
                redis.call('HSETNX', KEYS[i], 'a', alg)
                local keep
                if alg == 's' then
                  -- from the bucket's start: outlives its last use by a window and a second
                  local bucket = math.ceil(window / 16)
                  keep = math.floor((now - window) / bucket)
                  redis.call('PEXPIRE', KEYS[i], window + bucket + 1000)
                else
                  keep = tickets[i]
                  redis.call('PEXPIRE', KEYS[i], (tickets[i] + 1) * window - now + 1000)
                end
                if redis.call('HLEN', KEYS[i]) > 20 then
                  for _, field in ipairs(redis.call('HKEYS', KEYS[i])) do
                    local b = tonumber(field)
                    if b and b < keep then redis.call('HDEL', KEYS[i], field) end
                  end
                end
              end
              result[#result + 1] = tickets[i]
            end
            return result
            """);

    /** KEYS: one hash per entry. ARGV: now or '', then per entry: alg, window ms, amount, ticket. */
    static final Script RELEASE = new Script(NOW + """
            for i = 1, #KEYS do
              local a = 2 + (i - 1) * 4
              local alg, window, amount, ticket = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3])
              local live
              if alg == 's' then
                live = ticket >= math.floor((now - window) / math.ceil(window / 16))
              else
                live = ticket == math.floor(now / window)
              end
              if live and redis.call('HEXISTS', KEYS[i], f(ticket)) == 1 then
                if redis.call('HINCRBY', KEYS[i], f(ticket), -tonumber(amount)) <= 0 then
                  redis.call('HDEL', KEYS[i], f(ticket))
                end
              end
            end
            return 1
            """);

    /** KEYS[1]: the hash. ARGV: now or '', alg, window ms. Returns what counts in the window now. */
    static final Script CURRENT = new Script(NOW + """
            local alg, window = ARGV[2], tonumber(ARGV[3])
            if alg == 'f' then
              return tonumber(redis.call('HGET', KEYS[1], f(math.floor(now / window))) or '0')
            end
            local bucket = math.ceil(window / 16)
            local sum = 0
            for b = math.floor((now - window) / bucket), math.floor(now / bucket) do
              sum = sum + tonumber(redis.call('HGET', KEYS[1], f(b)) or '0')
            end
            return sum
            """);

    private RedisScripts() {
    }

    /** A script's text and the SHA-1 Redis knows it by. */
    record Script(String text, String sha) {
        Script(String text) {
            this(text, sha1(text));
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("SHA-1 is required of every JVM", impossible);
            }
        }
    }
}
