package dev.policylayer.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.agent.enforce.DecisionRecord;
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
        AuditLog audit = new AuditLog(sink, "g", 4);
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
        AuditLog audit = new AuditLog(new RotatingFileSink(file, 4096), "g", 1024);
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
        String line = AuditLine.of(record("echo"), "team-a");
        assertTrue(line.startsWith("{\"ts\":\"") && line.endsWith("}") && !line.contains("\n"), line);
        assertTrue(line.contains("\"argument_keys\":[\"amount\",\"note\"]"), line);
        assertTrue(line.contains("\"grant\":\"team-a\""), line);
    }

    private static DecisionRecord record(String tool) {
        return new DecisionRecord(System.currentTimeMillis(), "server", tool, "deny", "/tools/x/action", "action",
                "tool \"" + tool + "\" denied", true, "s1", List.of("amount", "note"), "ab12", 1234);
    }
}
