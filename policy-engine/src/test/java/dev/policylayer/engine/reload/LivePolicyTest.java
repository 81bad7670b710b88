package dev.policylayer.engine.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.ChronicleCounterStore;
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
    private final ChronicleCounterStore counters = ChronicleCounterStore.inMemory(clock, 1024);
    private final List<String> heard = new ArrayList<>();

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
                this::engine, listener(), 0);
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
                listener(), anHour);
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
                listener(), 50_000_000);
        assertEquals(Verdict.DENY, decide(live, "drop_table").verdict());
        write(file, DENY_ECHO);
        Thread.sleep(100);
        assertEquals(Verdict.ALLOW, decide(live, "drop_table").verdict());
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
        return LivePolicy.following(file, settings(file), () -> engine(load(file)), this::engine, listener(), 0);
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
