package dev.policylayer.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.policylayer.agent.gate.DecisionRecord;
import dev.policylayer.engine.decision.RuleKind;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.text.Quoted;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void aFullQueueDropsAndCountsLinesInsteadOfBlockingTheCall() throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        AuditSink sink = new AuditSink() {
            @Override
            public void write(String line) {
                written.add(line);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AuditLog audit = new AuditLog(sink, 4);
        // The writer has not started: as if the disk could not keep up. Every call still returns at once.
        for (int i = 0; i < 20; i++) {
            audit.decided(record("tool" + i));
        }
        assertEquals(16, audit.dropped());
        audit.startWriter();
        audit.close();
        assertEquals(List.of("tool0", "tool1", "tool2", "tool3"), written.stream()
                .filter(l -> l.contains("\"verdict\"")).map(l -> l.replaceAll(".*\"tool\":\"([^\"]*)\".*", "$1"))
                .toList());
        String report = written.stream().filter(l -> l.contains("audit_lines_dropped")).findFirst().orElseThrow();
        assertTrue(report.contains("\"count\":16,\"total\":16"), report);
    }

    @Test
    void theFileIsRotatedPastItsCapKeepingOnePreviousFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog audit = new AuditLog(new RotatingFileSink(file, 4096), 1024);
        audit.startWriter();
        for (int i = 0; i < 100; i++) {
            audit.decided(record("tool" + i));
        }
        audit.close();
        Path previous = dir.resolve("audit.jsonl.1");
        assertTrue(Files.exists(previous));
        assertTrue(Files.size(file) <= 4096 + 512 && Files.size(previous) <= 4096 + 512,
                Files.size(file) + " / " + Files.size(previous));
        List<String> newest = Files.readAllLines(file);
        assertTrue(newest.get(newest.size() - 1).contains("\"tool\":\"tool99\""), newest.toString());
        assertEquals(0, audit.dropped());
    }

    @Test
    void aLineIsOneJsonObjectWithKeysAndNoValues() {
        String line = AuditLine.of(record("echo"));
        assertTrue(line.startsWith("{\"ts\":\"") && line.endsWith("}") && !line.contains("\n"), line);
        assertTrue(line.contains("\"argument_keys\":[\"amount\",\"note\"]"), line);
        assertTrue(line.contains("\"grant\":\"team-a\""), line);
    }

    @Test
    void aPoisonedNameYieldsOneValidLineAndEveryLaterDecisionIsWritten() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog audit = new AuditLog(new RotatingFileSink(file, 1 << 20), 1024);
        audit.startWriter();
        audit.decided(record("before"));
        // What a caller can send as valid JSON: lone surrogates, control characters, a megabyte of name.
        audit.decided(record(Quoted.name("\ud800")));
        audit.decided(record(Quoted.name("x\udc00y\u0000z\u001b[31m")));
        audit.decided(record(Quoted.name("n".repeat(1 << 20))));
        audit.decided(record("after"));
        audit.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(5, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII: " + line);
            assertTrue(line.length() < 2000, "a bounded line: " + line.length());
            assertEquals(JsonToken.START_OBJECT, parseWhole(line));
        }
        assertTrue(lines.get(1).contains("\"tool\":\"\\\\ud800\""), lines.get(1));
        assertTrue(lines.get(4).contains("\"tool\":\"after\""), lines.get(4));
        assertEquals(0, audit.dropped());
    }

    @Test
    void aLineThatCannotBeWrittenIsCountedAndTheNextOnesAreWritten() throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        AuditSink sink = new AuditSink() {
            @Override
            public void write(String line) throws java.io.IOException {
                if (line.contains("\"tool\":\"unwritable\"")) {
                    throw new java.io.IOException("No space left on device");
                }
                written.add(line);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AuditLog audit = new AuditLog(sink, 16);
        audit.startWriter();
        audit.decided(record("first"));
        audit.decided(record("unwritable"));
        audit.decided(record("third"));
        audit.close();
        assertEquals(1, audit.dropped());
        assertTrue(written.stream().anyMatch(l -> l.contains("\"tool\":\"first\"")), written.toString());
        assertTrue(written.stream().anyMatch(l -> l.contains("\"tool\":\"third\"")), written.toString());
    }

    /** The first token of a line that must be exactly one JSON object, read to its end. */
    private static JsonToken parseWhole(String line) throws Exception {
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            JsonToken first = parser.nextToken();
            parser.skipChildren();
            assertEquals(null, parser.nextToken(), "nothing after the object: " + line);
            return first;
        }
    }

    private static DecisionRecord record(String tool) {
        return new DecisionRecord(System.currentTimeMillis(), Side.SERVER, tool, Verdict.DENY, RuleKind.ACTION,
                "/tools/x/action", "tool \"" + tool + "\" denied", true, "s1", "team-a", List.of("amount", "note"),
                "ab12", 1234, null, null);
    }
}
