package dev.policylayer.engine.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.counter.MutableClock;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.settings.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits to a real policy file, applied on the next call; bad edits keep the last good policy. */
class LivePolicyTest {
    private static final String DENY_DROP = "{\"version\":\"1\",\"default\":\"allow\","
            + "\"tools\":{\"drop_table\":{\"action\":\"deny\"},\"search\":{\"limits\":[{\"counter\":\"searches\",\"max\":2,\"window\":\"60s\"}]}}}";
    private static final String DENY_ECHO = "{\"version\":\"1\",\"default\":\"allow\",\"hide\":[\"secret\"],"
            + "\"tools\":{\"echo\":{\"action\":\"deny\"},\"search\":{\"limits\":[{\"counter\":\"searches\",\"max\":3,\"window\":\"60s\"}]}}}";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final OffHeapCounterStore counters = OffHeapCounterStore.inMemory(clock, 1024);
    private final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The reload's clock: the settle time passes when a test says so, never by sleeping. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @AfterEach
    void close() {
        counters.close();
    }

    @Test
    void anInPlaceEditIsAppliedOnTheNextCall() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict());
        assertEquals(Verdict.ALLOW, decide(live, "echo").verdict());

        write(file, DENY_ECHO);
        assertEquals(Verdict.ALLOW, decide(live, "drop_table").verdict());
        assertEquals(Verdict.DENY, decide(live, "echo").verdict());
        assertEquals(List.of("applied"), heard);
    }

    @Test
    void anEditorStyleReplaceByRenameIsApplied() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        Path temp = write(dir.resolve(".policy.json.swp"), DENY_ECHO);
        // Same modification time and size would fool a time-only check; the rename changes the file's identity.
        Files.setLastModifiedTime(temp, Files.getLastModifiedTime(file));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Verdict.DENY, decide(live, "echo").verdict());
    }

    @Test
    void anInvalidEditKeepsTheLastGoodPolicyAndIsReportedOnce() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        PolicyEngine good = live.current();
        write(file, DENY_DROP.replace("\"action\"", "\"acton\""));
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.DENY, decide(live, "drop_table").verdict());
        }
        live.checkContent();
        assertEquals(List.of(), heard, "not reported before it has stood a while: it may be a save in progress");
        settle();
        live.checkContent();
        live.checkContent();
        assertSame(good, live.current());
        assertEquals(1, heard.size(), heard.toString());
        assertTrue(heard.get(0).startsWith("rejected") && heard.get(0).contains("did you mean \"action\"?"),
                heard.toString());

        write(file, DENY_ECHO);
        assertEquals(Verdict.DENY, decide(live, "echo").verdict());
        assertEquals("applied", heard.get(1));
    }

    @Test
    void aDeletedFileKeepsTheLastGoodPolicy() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        Files.delete(file);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict());
        settle();
        live.checkContent();
        assertTrue(heard.get(0).contains("does not exist"), heard.toString());
    }

    @Test
    void countersSurviveAReload() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        commit(decide(live, "search"));
        commit(decide(live, "search"));
        assertEquals(Verdict.DENY, decide(live, "search").verdict(), "max 2 reached");

        write(file, DENY_ECHO); // the same counter, now max 3: one more call, not three
        commit(decide(live, "search"));
        Decision fourth = decide(live, "search");
        assertEquals(Verdict.DENY, fourth.verdict(), fourth.message());
    }

    @Test
    void anEditThatLeavesTheStampAloneIsFoundByTheContentCheck() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        FileTime before = Files.getLastModifiedTime(file);
        // Same length, same time: a stamp cannot tell, the content check can.
        String sameLength = DENY_DROP.replace("drop_table", "drop_index");
        Files.writeString(file, sameLength);
        Files.setLastModifiedTime(file, before);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict(), "the stamp alone cannot see this edit");
        live.checkContent();
        assertEquals(Verdict.ALLOW, decide(live, "drop_table").verdict());
        assertEquals(Verdict.DENY, decide(live, "drop_index").verdict());
    }

    @Test
    void aPolicyThatFailedAtStartUpIsAppliedOnceFixed() throws Exception {
        Path file = write(dir.resolve("policy.json"), "{\"version\":\"1\"");
        LivePolicy live = LivePolicy.following(file, settings(file), () -> PolicyEngine.failClosed("broken"),
                this::engine, listener(), 0, nanos::get);
        assertEquals("(policy error)", decide(live, "echo").rule());
        write(file, DENY_ECHO);
        assertEquals("/tools/echo/action", decide(live, "echo").rule());
        assertNotSame(null, live.current().policy());
    }

    @Test
    void aFixedPolicyNeverChanges() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        PolicyEngine engine = engine(PolicyLoader.load(settings(file)));
        LivePolicy fixed = LivePolicy.fixed(engine);
        write(file, DENY_ECHO);
        fixed.checkContent();
        assertSame(engine, fixed.current());
    }

    @Test
    void betweenIntervalsOnlyAWatchersSignalMakesItLookAtTheFile() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        long anHour = 3_600_000_000_000L;
        LivePolicy live = LivePolicy.following(file, settings(file), () -> engine(load(file)), this::engine,
                listener(), anHour, nanos::get);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict());
        write(file, DENY_ECHO);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict(), "not looked at again within the hour");
        live.fileChanged();
        assertEquals(Verdict.ALLOW, decide(live, "drop_table").verdict(), "a watcher's signal is seen at once");
    }

    @Test
    void withoutASignalTheFileIsLookedAtOnceTheIntervalHasPassed() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = LivePolicy.following(file, settings(file), () -> engine(load(file)), this::engine,
                listener(), 50_000_000, nanos::get);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict());
        write(file, DENY_ECHO);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict(), "within the interval: not looked at");
        nanos.addAndGet(50_000_000);
        assertEquals(Verdict.ALLOW, decide(live, "drop_table").verdict());
    }

    @Test
    void aCallThatNoticesAnEditBeingLoadedWaitsForItInsteadOfDecidingByTheOldPolicy() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Function<dev.policylayer.engine.load.LoadedPolicy, PolicyEngine> slowFactory = policy -> {
            loading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return engine(policy);
        };
        LivePolicy live = LivePolicy.following(file, settings(file), () -> engine(load(file)), slowFactory,
                listener(), 0, nanos::get);
        write(file, DENY_ECHO);
        Thread first = new Thread(live::current, "first caller");
        first.start();
        assertTrue(loading.await(60, java.util.concurrent.TimeUnit.SECONDS), "the first call loads the edit");

        Verdict[] secondSaw = new Verdict[1];
        Thread second = new Thread(() -> secondSaw[0] = decide(live, "echo").verdict(), "second caller");
        second.start();
        // The second call must wait for the load in progress; it must not decide by the old policy meanwhile.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (second.getState() == Thread.State.RUNNABLE || second.getState() == Thread.State.NEW) {
            assertTrue(System.nanoTime() < deadline, "the second call neither waited nor finished");
            Thread.onSpinWait();
        }
        release.countDown();
        second.join(60_000);
        first.join(60_000);
        assertEquals(Verdict.DENY, secondSaw[0], "decided by the edit being loaded, which denies echo");
    }

    @Test
    void anInPlaceSaveThatPassesThroughAnEmptyFileIsNotReported() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        write(file, ""); // an editor truncates, then writes
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict(), "the policy in force stays");
        live.checkContent();
        write(file, DENY_ECHO);
        assertEquals(Verdict.DENY, decide(live, "echo").verdict());
        settle();
        live.checkContent();
        assertEquals(List.of("applied"), heard);
    }

    @Test
    void aFileSwappedForSomethingThatIsNotAPolicyKeepsThePolicyInForce() throws Exception {
        Path file = write(dir.resolve("policy.json"), DENY_DROP);
        LivePolicy live = follow(file);
        Path devZero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devZero), "no /dev/zero here");
        Path fifo = dir.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available");
        Path sparse = dir.resolve("sparse.json");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(1L << 30);
        }
        Path half = write(dir.resolve("half.json"), DENY_ECHO.substring(0, DENY_ECHO.length() / 2));
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        for (Path swapped : List.of(devZero, fifo, sparse, half, directory)) {
            Files.delete(file);
            Files.createSymbolicLink(file, swapped);
            live.fileChanged();
            assertEquals(Verdict.DENY, decide(live, "drop_table").verdict(), "with " + swapped);
            settle();
            live.checkContent();
            assertEquals(Verdict.DENY, decide(live, "drop_table").verdict(), "with " + swapped);
        }
        // /dev/zero and the FIFO are refused for the same reason, which is reported once.
        assertEquals(4, heard.size(), heard.toString());
        assertTrue(heard.get(0).contains("not a regular file"), heard.get(0));
        assertTrue(heard.get(1).contains("more than the"), heard.get(1));
        assertTrue(heard.get(2).contains("invalid JSON"), heard.get(2));
        assertTrue(heard.get(3).contains("is a directory"), heard.get(3));
    }

    private static dev.policylayer.engine.load.LoadedPolicy load(Path file) {
        try {
            return PolicyLoader.load(settings(file));
        } catch (PolicyLoadException e) {
            throw new AssertionError(e);
        }
    }

    private LivePolicy follow(Path file) {
        // Interval 0: every call looks at the file, so these tests need no watcher and no sleeps.
        return LivePolicy.following(file, settings(file), () -> engine(load(file)), this::engine, listener(), 0,
                nanos::get);
    }

    private void settle() {
        nanos.addAndGet(LivePolicy.SETTLE_NANOS);
    }

    private LivePolicy.Listener listener() {
        return new LivePolicy.Listener() {
            @Override
            public void applied(PolicyEngine previous, PolicyEngine next) {
                heard.add("applied");
            }

            @Override
            public void rejected(PolicyLoadException problems) {
                heard.add("rejected: " + problems.getMessage());
            }
        };
    }

    private PolicyEngine engine(dev.policylayer.engine.load.LoadedPolicy policy) {
        return PolicyEngine.create(policy, counters, "team-a");
    }

    private static Decision decide(LivePolicy live, String tool) {
        return live.current().decide(new ToolCall(tool, Map.of(), Side.SERVER, "s1"));
    }

    private static void commit(Decision decision) {
        assertEquals(Verdict.ALLOW, decision.verdict(), decision.message());
        decision.reservation().commit();
    }

    private static Settings settings(Path file) {
        return Settings.of(Map.of("policylayer.policy", file.toString()));
    }

    private static Path write(Path file, String text) throws Exception {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
