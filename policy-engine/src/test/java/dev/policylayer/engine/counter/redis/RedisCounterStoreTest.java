package dev.policylayer.engine.counter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.counter.Acquisition;
import dev.policylayer.engine.counter.Admission;
import dev.policylayer.engine.counter.Algorithm;
import dev.policylayer.engine.counter.CounterBatch;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterStoreOpenException;
import dev.policylayer.engine.counter.CounterUnits;
import dev.policylayer.engine.counter.MutableClock;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.testsupport.RedisServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Redis counter store against a real redis-server, and next to the off-heap store on the same calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCounterStoreTest {
    private static final long ONE = CounterUnits.one();
    private static final Duration TIMEOUT = Duration.ofSeconds(5); // generous: only the fault tests wait on it

    private RedisServer redis;

    @BeforeAll
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void empty() throws Exception {
        redis.command("FLUSHALL");
    }

    private RedisLocation location() {
        return RedisLocation.parse(redis.url(), null);
    }

    @Test
    void onTheSameCallsAtTheSameTimesItDecidesExactlyAsTheOffHeapStore() {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        Random random = new Random(11);
        List<CounterSpec> specs = List.of(new CounterSpec(10_000, 5 * ONE, Algorithm.SLIDING),
                new CounterSpec(1_000, 2 * ONE, Algorithm.SLIDING),
                new CounterSpec(60_000, CounterUnits.of(new BigDecimal("100.5")), Algorithm.SLIDING),
                new CounterSpec(10_000, 3 * ONE, Algorithm.FIXED));
        try (OffHeapCounterStore local = OffHeapCounterStore.inMemory(clock, 100);
             RedisCounterStore remote = RedisCounterStore.open(location(), "t:", TIMEOUT, clock)) {
            List<long[]> grantedLocal = new ArrayList<>();
            List<long[]> grantedRemote = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                int which = random.nextInt(specs.size());
                CounterSpec spec = specs.get(which);
                String key = "k" + which;
                long amount = which == 2 ? CounterUnits.of(new BigDecimal(random.nextInt(40000)).movePointLeft(3))
                        + 1 : ONE;
                if (random.nextInt(5) == 0 && !grantedLocal.isEmpty()) {
                    int i = random.nextInt(grantedLocal.size());
                    long[] l = grantedLocal.remove(i);
                    long[] r = grantedRemote.remove(i);
                    local.release("k" + l[0], specs.get((int) l[0]), l[1], l[2]);
                    remote.releaseAsync(new Batch(List.of("k" + r[0]), List.of(specs.get((int) r[0])), r[1], r[2]))
                            .join();
                } else {
                    Acquisition a = local.tryAcquire(key, spec, amount);
                    Acquisition b = remote.tryAcquire(key, spec, amount);
                    assertEquals(a.granted(), b.granted(), "step " + step + ": " + a + " / " + b);
                    assertEquals(a.retryAfterMillis(), b.retryAfterMillis(), "step " + step);
                    assertEquals(a.failure(), b.failure(), "step " + step);
                    if (a.granted()) {
                        assertEquals(a.ticket(), b.ticket(), "step " + step);
                        grantedLocal.add(new long[] {which, amount, a.ticket()});
                        grantedRemote.add(new long[] {which, amount, b.ticket()});
                    }
                }
                assertEquals(local.current(key, spec), remote.current(key, spec), "step " + step);
                clock.advance(random.nextInt(700));
            }
        }
    }

    @Test
    void allLimitsOfACallAreReservedOrNone() throws Exception {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        CounterSpec roomy = new CounterSpec(60_000, 100 * ONE, Algorithm.SLIDING);
        CounterSpec tight = new CounterSpec(60_000, ONE, Algorithm.FIXED);
        try (RedisCounterStore store = RedisCounterStore.open(location(), "t:", TIMEOUT, clock)) {
            assertTrue(store.tryAcquire("third", tight, ONE).granted());
            Batch batch = new Batch(List.of("first", "second", "third"), List.of(roomy, roomy, tight), ONE, 0);
            Admission refused = store.reserve(batch);
            assertEquals(Admission.Outcome.REFUSED, refused.outcome());
            assertEquals(2, refused.index(), "the third refused");
            assertEquals(0, store.current("first", roomy), "the first two consumed nothing");
            assertEquals(0, store.current("second", roomy));
            clock.advance(60_000);
            assertTrue(store.reserve(batch).granted(), "a new fixed window");
            assertEquals(ONE, store.current("first", roomy));
            store.releaseAsync(batch).join();
            assertEquals(0, store.current("first", roomy), "given back, every limit in one call");
            assertEquals(0, store.current("third", tight));
        }
    }

    @Test
    void eachCounterIsOneHashUnderItsOwnHashTagThatExpires() throws Exception {
        try (RedisCounterStore store = RedisCounterStore.open(location(), "pl:", TIMEOUT)) {
            CounterSpec spec = new CounterSpec(10_000, 5 * ONE, Algorithm.SLIDING);
            assertTrue(store.tryAcquire("global:5:calls:0:", spec, ONE).granted());
            String key = store.key("global:5:calls:0:", spec);
            assertTrue(key.matches("pl:\\{[0-9a-f]{40}}"), key);
            assertEquals("1", redis.command("EXISTS", key).replace(":", ""));
            long ttl = Long.parseLong(redis.command("PTTL", key).replace(":", ""));
            assertTrue(ttl > 0 && ttl <= 10_000 + 625 + 1000, "about one window: " + ttl);
            assertEquals(List.of(new RedisCounterStore.RedisCounter("global:5:calls:0:", 10_000, Algorithm.SLIDING,
                    ONE)), store.list());
        }
    }

    @Test
    void aWrongPasswordIsSaidAtOpeningWithoutTheWordItself() throws Exception {
        try (RedisServer secured = RedisServer.start("--requirepass", "right-one")) {
            CounterStoreOpenException refused = assertThrows(CounterStoreOpenException.class,
                    () -> RedisCounterStore.open(RedisLocation.parse(secured.url(":wrong-one"), null), "t:", TIMEOUT));
            assertTrue(refused.getMessage().contains("refused the credentials") && refused.getMessage().contains(
                    "policylayer.counters"), refused.getMessage());
            assertFalse(refused.getMessage().contains("wrong-one") || refused.getMessage().contains("right-one"),
                    refused.getMessage());
            try (RedisCounterStore store = RedisCounterStore.open(RedisLocation.parse(secured.url(), "right-one"),
                    "t:", TIMEOUT)) {
                assertTrue(store.tryAcquire("k", new CounterSpec(1000, ONE, Algorithm.FIXED), ONE).granted());
            }
        }
    }

    @Test
    void aStoppedServerFailsCallsWithTheReasonAndTheStoreResumesWhenItIsBack() throws Exception {
        try (RedisServer own = RedisServer.start();
             RedisCounterStore store = RedisCounterStore.open(RedisLocation.parse(own.url(), null), "t:",
                     Duration.ofMillis(500))) {
            CounterSpec spec = new CounterSpec(60_000, 100 * ONE, Algorithm.SLIDING);
            assertTrue(store.tryAcquire("k", spec, ONE).granted());
            own.stop();
            Acquisition down = store.tryAcquire("k", spec, ONE);
            assertFalse(down.granted());
            assertNotNull(down.failure(), down.toString());
            assertTrue(down.failure().contains("Redis counter store at redis://127.0.0.1:" + own.port()),
                    down.failure());
            own.restart();
            Acquisition back = null;
            for (long deadline = System.nanoTime() + 60_000_000_000L; back == null || !back.granted(); ) {
                assertTrue(System.nanoTime() < deadline, "never counted again: " + back);
                back = store.tryAcquire("k", spec, ONE);
            }
        }
    }

    @Test
    void aServerThatDoesNotAnswerInTimeFailsTheCallAtTheTimeout() throws Exception {
        try (RedisCounterStore store = RedisCounterStore.open(location(), "t:", Duration.ofMillis(200))) {
            CounterSpec spec = new CounterSpec(60_000, 100 * ONE, Algorithm.SLIDING);
            assertTrue(store.tryAcquire("k", spec, ONE).granted());
            redis.command("CLIENT", "PAUSE", "3000", "ALL");
            Acquisition slow = store.tryAcquire("k", spec, ONE);
            assertFalse(slow.granted());
            assertTrue(slow.failure().contains("did not answer"), slow.failure());
        } finally {
            redis.command("CLIENT", "UNPAUSE");
        }
    }

    @Test
    void aServerOutOfMemoryFailsTheCallSayingSo() throws Exception {
        try (RedisServer full = RedisServer.start("--maxmemory-policy", "noeviction");
             RedisCounterStore store = RedisCounterStore.open(RedisLocation.parse(full.url(), null), "t:", TIMEOUT)) {
            full.command("CONFIG", "SET", "maxmemory", "1"); // from now on, any write is over the limit
            Acquisition oom = store.tryAcquire("k", new CounterSpec(60_000, 100 * ONE, Algorithm.SLIDING), ONE);
            assertFalse(oom.granted());
            assertTrue(oom.failure().contains("out of memory"), oom.failure());
        }
    }

    /** A batch the test builds by hand. */
    private static final class Batch implements CounterBatch {
        private final List<String> keys;
        private final List<CounterSpec> specs;
        private final long amount;
        private final long[] tickets;

        Batch(List<String> keys, List<CounterSpec> specs, long amount, long ticket) {
            this.keys = keys;
            this.specs = specs;
            this.amount = amount;
            this.tickets = new long[keys.size()];
            java.util.Arrays.fill(tickets, ticket);
        }

        @Override
        public int size() {
            return keys.size();
        }

        @Override
        public String key(int i) {
            return keys.get(i);
        }

        @Override
        public CounterSpec spec(int i) {
            return specs.get(i);
        }

        @Override
        public long amount(int i) {
            return amount;
        }

        @Override
        public long ticket(int i) {
            return tickets[i];
        }

        @Override
        public void ticket(int i, long ticket) {
            tickets[i] = ticket;
        }
    }
}
