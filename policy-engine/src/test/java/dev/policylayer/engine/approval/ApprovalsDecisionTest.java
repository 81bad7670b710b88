package dev.policylayer.engine.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.MutableClock;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's approval step on real stores: bound to the exact call, uses taken atomically, fail closed. */
class ApprovalsDecisionTest {
    private static final String POLICY = """
            {"version": "1", "default": "allow",
             "tools": {
               "wire": {"action": "require_approval"},
               "refund": {"action": "require_approval", "approval": {"pending_for": "1h"},
                          "limits": [{"counter": "refunds", "window": "1h", "max": 1}]}
             }}""";

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final OffHeapCounterStore counters = OffHeapCounterStore.inMemory(clock, 1024);
    private final List<ApprovalStore> stores = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        stores.forEach(ApprovalStore::close);
        counters.close();
    }

    @Test
    void aPendingCallKeepsItsIdAndOnceApprovedRunsForItsUsesOnly() throws Exception {
        ApprovalStore store = store(new MemoryApprovalStorage());
        PolicyEngine engine = engine(store);
        Decision pending = call(engine, "wire", Map.of("to", "acme", "amount", 10));
        assertEquals(Verdict.APPROVAL_REQUIRED, pending.verdict());
        assertTrue(pending.message().contains("approval " + pending.approvalId() + " is pending; call again once"
                + " approved"), pending.message());
        assertEquals(pending.approvalId(), call(engine, "wire", Map.of("amount", 10.0, "to", "acme")).approvalId(),
                "the same arguments in another order, 10 as 10.0: the same call");
        Decision other = call(engine, "wire", Map.of("to", "acme", "amount", 11));
        assertNotEquals(pending.approvalId(), other.approvalId(), "a changed argument is another call");

        store.approve(pending.approvalId(), 2, Duration.ofHours(1), "alice (os user)");
        assertEquals(Verdict.ALLOW, call(engine, "wire", Map.of("to", "acme", "amount", 10)).verdict());
        assertEquals(Verdict.ALLOW, call(engine, "wire", Map.of("to", "acme", "amount", 10)).verdict());
        Decision spent = call(engine, "wire", Map.of("to", "acme", "amount", 10));
        assertEquals(Verdict.APPROVAL_REQUIRED, spent.verdict(), "two uses, both taken");
        assertNotEquals(pending.approvalId(), spent.approvalId());
        assertEquals(Verdict.APPROVAL_REQUIRED, call(engine, "wire", Map.of("to", "acme", "amount", 11)).verdict(),
                "the changed call is still not approved");
        assertEquals("used", store.get(pending.approvalId()).orElseThrow().status(clock.instant()));
    }

    @Test
    void anApprovalForOneGrantDoesNotCoverAnother() throws Exception {
        ApprovalStore store = store(new MemoryApprovalStorage());
        PolicyEngine engine = engine(store);
        Decision mine = engine.decide(new ToolCall("wire", Map.of(), Side.SERVER, null, "ci-runner"));
        store.approve(mine.approvalId(), 1, Duration.ofHours(1), "alice (os user)");
        assertEquals(Verdict.APPROVAL_REQUIRED, engine.decide(new ToolCall("wire", Map.of(), Side.SERVER, null,
                "intern")).verdict());
        assertEquals(Verdict.ALLOW, engine.decide(new ToolCall("wire", Map.of(), Side.SERVER, null, "ci-runner"))
                .verdict());
    }

    @Test
    void aDenialSaysWhoAndWhyAndAnExpiredApprovalCoversNothing() throws Exception {
        ApprovalStore store = store(new MemoryApprovalStorage());
        PolicyEngine engine = engine(store);
        String id = call(engine, "wire", Map.of("to", "x")).approvalId();
        store.deny(id, "not this vendor", "bob (os user)");
        Decision denied = call(engine, "wire", Map.of("to", "x"));
        assertEquals(Verdict.DENY, denied.verdict());
        assertTrue(denied.message().contains("approval " + id + " was denied by bob (os user): not this vendor"),
                denied.message());
        ApprovalStoreException twice = assertThrows(ApprovalStoreException.class, () -> store.approve(id, 1,
                Duration.ofHours(1), "alice (os user)"));
        assertTrue(twice.getMessage().contains("already denied"), twice.getMessage());

        String later = call(engine, "wire", Map.of("to", "y")).approvalId();
        store.approve(later, 1, Duration.ofMinutes(10), "alice (os user)");
        clock.advance(Duration.ofMinutes(10).toMillis());
        Decision expired = call(engine, "wire", Map.of("to", "y"));
        assertEquals(Verdict.APPROVAL_REQUIRED, expired.verdict(), "expired at its end");
        assertNotEquals(later, expired.approvalId());
        clock.advance(Duration.ofDays(2).toMillis());
        assertThrows(ApprovalStoreException.class, () -> store.approve(expired.approvalId(), 1, Duration.ofHours(1),
                "alice (os user)"), "a lapsed request cannot be approved");
    }

    @Test
    void aUseTakenByACallALimitRefusesIsGivenBack() throws Exception {
        ApprovalStore store = store(new MemoryApprovalStorage());
        PolicyEngine engine = engine(store);
        String first = call(engine, "refund", Map.of("order", 1)).approvalId();
        store.approve(first, 1, Duration.ofHours(1), "alice (os user)");
        assertEquals(Verdict.ALLOW, call(engine, "refund", Map.of("order", 1)).verdict());
        String second = call(engine, "refund", Map.of("order", 2)).approvalId();
        store.approve(second, 1, Duration.ofHours(1), "alice (os user)");
        Decision limited = call(engine, "refund", Map.of("order", 2));
        assertEquals(Verdict.DENY, limited.verdict(), "the limit of one refund an hour refuses it");
        assertEquals(0, store.get(second).orElseThrow().used(), "and the approval's use is not spent");
    }

    @Test
    void callsRacingOnTwoStoresOverOneFileTakeExactlyTheUsesApproved() throws Exception {
        Path file = dir.resolve("approvals.json");
        PolicyEngine one = engine(store(new FileApprovalStorage(file, false)));
        PolicyEngine two = engine(store(new FileApprovalStorage(file, false)));
        String id = call(one, "wire", Map.of("to", "acme")).approvalId();
        stores.get(1).approve(id, 3, Duration.ofHours(1), "alice (os user)");
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Verdict>> verdicts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            PolicyEngine engine = i % 2 == 0 ? one : two;
            verdicts.add(threads.submit(() -> {
                go.await();
                return call(engine, "wire", Map.of("to", "acme")).verdict();
            }));
        }
        go.countDown();
        int allowed = 0;
        for (Future<Verdict> verdict : verdicts) {
            if (verdict.get(60, TimeUnit.SECONDS) == Verdict.ALLOW) {
                allowed++;
            }
        }
        threads.shutdown();
        assertEquals(3, allowed);
        assertEquals(3, stores.get(0).get(id).orElseThrow().used());
    }

    @Test
    void aFileStoreSurvivesAndIsReadByANewStore() throws Exception {
        Path file = dir.resolve("approvals.json");
        String id = call(engine(store(new FileApprovalStorage(file, false))), "wire", Map.of("k", "v")).approvalId();
        ApprovalStore reopened = store(new FileApprovalStorage(file, true));
        assertEquals(Approval.State.PENDING, reopened.get(id).orElseThrow().state());
        assertEquals(List.of("k"), reopened.get(id).orElseThrow().argumentKeys());
        assertTrue(!Files.readString(file).contains("\"v\""), "the store keeps argument names, never values");
    }

    @Test
    void aDamagedOrForeignStoreDeniesTheCallAndIsNeverRepaired() throws Exception {
        for (String content : List.of("{\"policylayer\": \"approvals\", \"version\": 1, \"approvals\": [{\"id\":",
                "{\"version\": \"1\", \"tools\": {}}", "\u0000\u0000\u0000")) {
            Path file = dir.resolve("store-" + content.length() + ".json");
            Files.writeString(file, content);
            PolicyEngine engine = engine(store(new FileApprovalStorage(file, false)));
            Decision decision = call(engine, "wire", Map.of());
            assertEquals(Verdict.DENY, decision.verdict(), content);
            assertTrue(decision.message().contains("its approval cannot be checked") && decision.message().contains(
                    file.getFileName().toString()), decision.message());
            assertEquals(content, Files.readString(file), "left as it was");
        }
    }

    @Test
    void anOperatorCommandOnNoStoreOrAnUnknownIdChangesNothing() throws Exception {
        Path file = dir.resolve("none.json");
        ApprovalStoreException none = assertThrows(ApprovalStoreException.class, () -> store(
                new FileApprovalStorage(file, true)).list());
        assertTrue(none.getMessage().contains("there is no approval store at"), none.getMessage());
        assertTrue(!Files.exists(file));
        ApprovalStore store = store(new MemoryApprovalStorage());
        ApprovalStoreException unknown = assertThrows(ApprovalStoreException.class, () -> store.approve("nope", 1,
                Duration.ofHours(1), "alice (os user)"));
        assertTrue(unknown.getMessage().contains("no approval has the id nope"), unknown.getMessage());
    }

    @Test
    void theFingerprintIsCanonicalAndShortForHostileNumbers() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", List.of(1, 2.50, "x"));
        a.put("a", Map.of("z", true, "y", "\u00e9"));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("a", Map.of("y", "\u00e9", "z", true));
        b.put("b", List.of(1.0, 2.5, "x"));
        assertEquals(Fingerprint.of(a), Fingerprint.of(b));
        assertNotEquals(Fingerprint.of(Map.of("n", 1)), Fingerprint.of(Map.of("n", "1")), "a number is not a string");
        assertNotEquals(Fingerprint.of(Map.of("n", List.of(1, 2))), Fingerprint.of(Map.of("n", List.of(2, 1))));
        assertEquals(64, Fingerprint.of(Map.of("n", new java.math.BigDecimal("1e999999999"))).length(),
                "an enormous exponent is not spelled out");
    }

    private ApprovalStore store(ApprovalStorage storage) {
        ApprovalStore store = new ApprovalStore(storage, clock);
        stores.add(store);
        return store;
    }

    private PolicyEngine engine(ApprovalStore approvals) throws Exception {
        return PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of("policylayer.policy", POLICY))), counters,
                approvals, "team-a", false);
    }

    private static Decision call(PolicyEngine engine, String tool, Map<String, ?> arguments) {
        return engine.decide(new ToolCall(tool, arguments, Side.SERVER, "s-1"));
    }
}
