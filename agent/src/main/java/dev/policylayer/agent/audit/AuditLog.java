package dev.policylayer.agent.audit;

import dev.policylayer.agent.gate.DecisionListener;
import dev.policylayer.agent.gate.DecisionRecord;
import dev.policylayer.engine.approval.ApprovalEvent;
import dev.policylayer.agent.log.AgentLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;

/**
 * The decision audit ({@code policylayer.audit}): one JSON line per decision, written in batches by a daemon
 * thread from a bounded queue. A tool call never waits for the disk: when the queue is full the line is dropped and
 * counted, and the writer records how many were lost (an {@code audit_lines_dropped} line, a log warning and
 * the JMX attribute). At exit the queue is drained, for at most {@link #DRAIN_MILLIS}.
 */
public final class AuditLog implements DecisionListener {
    static final int QUEUE_SIZE = 8192;
    static final long DRAIN_MILLIS = 2000;
    static final long BATCH_MILLIS = 50;

    /** Decisions ({@link DecisionRecord}) and approval events ({@link ApprovalEvent}), formatted by the writer. */
    private final BlockingQueue<Object> queue;
    private final AuditSink sink;
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closing;
    private long droppedReported;

    AuditLog(AuditSink sink, int queueSize) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.sink = sink;
        this.writer = new Thread(this::writeLoop, "policylayer-audit");
        writer.setDaemon(true);
    }

    /**
     * Starts the audit to {@code target}: {@code stderr}, or a file path. Never the process's standard output: a
     * stdio MCP server speaks JSON-RPC there, and audit lines in it would break every client.
     *
     * @throws IOException when the file cannot be opened or is standard output (the caller logs it; calls are
     *                     still enforced)
     */
    public static AuditLog start(String target, long maxBytes) throws IOException {
        AuditSink sink = target.equalsIgnoreCase("stderr") ? new StderrSink()
                : new RotatingFileSink(StandardOutput.refuse(target), maxBytes);
        AuditLog log = new AuditLog(sink, QUEUE_SIZE);
        log.startWriter();
        Runtime.getRuntime().addShutdownHook(new Thread(log::close, "policylayer-audit-close"));
        return log;
    }

    void startWriter() {
        writer.start();
    }

    @Override
    public void decided(DecisionRecord decision) {
        if (closing || !queue.offer(decision)) {
            dropped.increment();
        }
    }

    /** Something happened to an approval: requested, approved, denied, expired, used. */
    public void approval(ApprovalEvent event) {
        if (closing || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Lines lost so far because the queue was full (or the audit could not be written). */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Writes what has queued up every {@link #BATCH_MILLIS}, not line by line: a writer woken by every call
     * would cost each call a thread hand-off and a write system call, where a batch costs one of each.
     */
    private void writeLoop() {
        List<Object> batch = new ArrayList<>(QUEUE_SIZE);
        while (true) {
            boolean last = closing;
            try {
                while (queue.drainTo(batch, QUEUE_SIZE) > 0) {
                    for (Object entry : batch) {
                        write(entry);
                    }
                    batch.clear();
                }
                reportDrops();
                sink.flush();
            } catch (IOException | RuntimeException failure) {
                batch.clear();
                AgentLog.errorOnce("audit-write", "could not write the audit log; lines are being lost", failure);
            }
            if (last) {
                return; // closing was set before this pass drained the queue: nothing can be left behind
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS));
        }
    }

    /** One line; a line that cannot be formatted or written is counted and reported, and the next one goes on. */
    private void write(Object entry) {
        try {
            sink.write(entry instanceof DecisionRecord decision ? AuditLine.of(decision)
                    : AuditLine.of((ApprovalEvent) entry));
        } catch (IOException | RuntimeException failure) {
            dropped.increment();
            AgentLog.errorOnce("audit-write", "could not write the audit log; lines are being lost", failure);
        }
    }

    private void reportDrops() throws IOException {
        long total = dropped.sum();
        if (total > droppedReported) {
            long lost = total - droppedReported;
            droppedReported = total;
            sink.write(AuditLine.dropped(lost, total));
            AgentLog.warn("audit queue full: " + lost + " decision lines dropped (" + total + " in all); calls"
                    + " were not slowed");
        }
    }

    /** Stops taking lines, writes what is queued (bounded by {@link #DRAIN_MILLIS}) and closes the sink. */
    void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(DRAIN_MILLIS);
            sink.close();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException failure) {
            AgentLog.errorOnce("audit-close", "could not close the audit log", failure);
        }
    }
}
