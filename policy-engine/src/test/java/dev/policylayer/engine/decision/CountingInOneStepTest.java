package dev.policylayer.engine.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.Admission;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.counter.CounterBatch;
import dev.policylayer.engine.counter.CounterSpec;
import dev.policylayer.engine.counter.CounterStore;
import dev.policylayer.engine.counter.MutableClock;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * All the limits of one call go to the counter store at once, reserved all or none: a store across the network is
 * asked once per decision, and a decision that waits for it can complete later without holding a thread.
 */
class CountingInOneStepTest {
    private static final String FIVE_LIMITS = """
            {"version":"1","default":"allow",
             "all_tools":{"limits":[{"counter":"all","window":"minute","max":100},
                                    {"counter":"per_session","window":"minute","max":100,"scope":"session"}]},
             "tools":{"pay":{"limits":[{"counter":"pays","window":"minute","max":100},
                                       {"counter":"spend","window":"day","max":100,"increment_from":"args.amount"},
                                       {"counter":"tiny","window":"minute","max":1}]}}}""";

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final OffHeapCounterStore real = OffHeapCounterStore.inMemory(clock, 1024);

    /** The real store, with every call counted, and an async answer the test releases when it wants. */
    private final class Watched implements CounterStore {
        final AtomicInteger reserves = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();
        boolean remote;
        CompletableFuture<Void> answerWhen = CompletableFuture.completedFuture(null);

        @Override
        public Admission reserve(CounterBatch batch) {
            reserves.incrementAndGet();
            return real.reserve(batch);
        }

        @Override
        public CompletionStage<Admission> reserveAsync(CounterBatch batch) {
            return answerWhen.thenApplyAsync(released -> reserve(batch));
        }

        @Override
        public boolean remote() {
            return remote;
        }

        @Override
        public void release(CounterBatch batch) {
            releases.incrementAndGet();
            real.release(batch);
        }

        @Override
        public long current(String key, CounterSpec spec) {
            return real.current(key, spec);
        }

        @Override
        public void close() {
        }
    }

    private final Watched store = new Watched();

    @AfterEach
    void close() {
        real.close();
    }

    private PolicyEngine engine() throws Exception {
        return PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of("policylayer.policy", FIVE_LIMITS))), store,
                "team-a");
    }

    private static ToolCall pay(String session) {
        return new ToolCall("pay", Map.of("amount", 7), Side.SERVER, SessionRef.of(session), null);
    }

    @Test
    void fiveLimitsAreOneStoreCallAndARefusalByTheLastConsumesNoneOfTheOthers() throws Exception {
        PolicyEngine engine = engine();
        Decision first = engine.decide(pay("s1"));
        assertEquals(Verdict.ALLOW, first.verdict());
        assertEquals(1, store.reserves.get(), "five limits, one call to the store");
        first.reservation().commit();

        Decision second = engine.decide(pay("s1"));
        assertEquals("/tools/pay/limits/2", second.rule(), "refused by the fifth limit, max 1");
        assertEquals(2, store.reserves.get());
        // The four limits before it hold what the first call spent, nothing of the refused one.
        assertEquals(1000, real.current("grant:3:all:6:team-a", new CounterSpec(60_000, 100_000, dev.policylayer.engine
                .counter.Algorithm.SLIDING)));
    }

    @Test
    void aRefundGivesEveryLimitBackInOneStoreCall() throws Exception {
        PolicyEngine engine = engine();
        Decision allowed = engine.decide(pay("s1"));
        allowed.reservation().refund();
        allowed.reservation().refund();
        assertEquals(1, store.releases.get(), "given back once, in one call");
        assertEquals(Verdict.ALLOW, engine.decide(pay("s1")).verdict(), "the tiny limit's one call is free again");
    }

    @Test
    void aRemoteStoreIsAskedWithoutHoldingTheCallersThread() throws Exception {
        store.remote = true;
        store.answerWhen = new CompletableFuture<>();
        PolicyEngine engine = engine();
        CompletableFuture<Decision> pending = engine.decideAsync(pay("s1")).toCompletableFuture();
        assertFalse(pending.isDone(), "the store has not answered; the caller's thread is free meanwhile");
        store.answerWhen.complete(null);
        Decision decided = pending.get(60, TimeUnit.SECONDS);
        assertEquals(Verdict.ALLOW, decided.verdict());
        assertEquals(1, store.reserves.get());
    }

    @Test
    void aSessionThatCannotBeReadIsDeniedForSessionLimitsNotCountedWithTheGrant() throws Exception {
        PolicyEngine engine = engine();
        Decision decided = engine.decide(new ToolCall("pay", Map.of("amount", 7), Side.SERVER,
                SessionRef.unreadable("reading it failed: session closed"), null));
        assertEquals(Verdict.DENY, decided.verdict());
        assertEquals("/all_tools/limits/1", decided.rule());
        assertEquals(RuleKind.LIMITS, decided.kind());
        assertTrue(decided.message().contains("counts per session, and this call's session cannot be identified"
                + " (reading it failed: session closed)"), decided.message());
        assertEquals(0, store.reserves.get(), "nothing was counted");
        // No session at all (a stateless server) is another matter: the documented fallback, per grant.
        assertEquals(Verdict.ALLOW, engine.decide(new ToolCall("pay", Map.of("amount", 7), Side.SERVER,
                SessionRef.NONE, null)).verdict());
    }
}
