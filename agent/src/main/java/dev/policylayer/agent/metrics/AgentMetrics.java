package dev.policylayer.agent.metrics;

import dev.policylayer.agent.gate.DecisionListener;
import dev.policylayer.agent.gate.DecisionRecord;
import dev.policylayer.engine.PolicyEngine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Counts decisions for JMX. Adders, not locks: every tool call passes through here. Tool names come from
 * callers, so per-tool counts stop growing at {@link #MAX_TOOLS} names (a hostile client cannot fill the heap).
 */
public final class AgentMetrics implements DecisionListener, AgentMXBean {
    static final int MAX_TOOLS = 1000;
    private static final String OTHER = "(other)";
    private static final String NO_GRANT = "(no grant)";

    private final LongAdder seen = new LongAdder();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final Map<String, LongAdder> deniedByReason = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> callsByTool = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deniedByTool = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> callsByGrant = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deniedByGrant = new ConcurrentHashMap<>();
    private volatile String identity = "static";
    private volatile String grantsSource = "(none)";
    private volatile String grantsHash = "";
    private final LongAdder reloads = new LongAdder();
    private final LongAdder reloadsRejected = new LongAdder();
    private volatile Supplier<List<String>> chokePoints = List::of;
    private volatile String policySource = "(none)";
    private volatile String policyHash = "";
    private volatile String policyLoadedAt = "";
    private volatile LongSupplier auditDropped = () -> 0;

    @Override
    public void decided(DecisionRecord decision) {
        seen.increment();
        String tool = decision.tool() == null ? "(no name)" : decision.tool();
        String grant = decision.grant() == null ? NO_GRANT : decision.grant();
        count(callsByTool, tool);
        count(callsByGrant, grant);
        if (decision.allowed()) {
            allowed.increment();
        } else {
            denied.increment();
            deniedByReason.computeIfAbsent(decision.kind().tag(), r -> new LongAdder()).increment();
            count(deniedByTool, tool);
            count(deniedByGrant, grant);
        }
    }

    private static void count(Map<String, LongAdder> counts, String name) {
        LongAdder adder = counts.get(name);
        if (adder == null) {
            String key = counts.size() >= MAX_TOOLS ? OTHER : name;
            adder = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }

    /** A policy came into force (at start-up or by reload). */
    public void policyInForce(PolicyEngine engine, boolean reload) {
        if (reload) {
            reloads.increment();
        }
        policySource = engine == null || engine.policy() == null ? "(no valid policy)" : engine.policy().source();
        policyHash = engine == null || engine.policy() == null ? "" : engine.policy().hash();
        policyLoadedAt = Instant.now().toString();
    }

    /** Where server-side callers' grants come from ({@code bearer}, {@code header:X-Agent}, ...). */
    public void identity(String describe) {
        identity = describe;
    }

    /** A grants file came into force (at start-up or by reload). */
    public void grantsInForce(dev.policylayer.engine.grants.Grants grants, boolean reload) {
        if (reload) {
            reloads.increment();
        }
        grantsSource = grants.source();
        grantsHash = grants.hash();
    }

    public void reloadRejected() {
        reloadsRejected.increment();
    }

    public void chokePointsFrom(Supplier<List<String>> instrumented) {
        chokePoints = instrumented;
    }

    public void auditDroppedFrom(LongSupplier dropped) {
        auditDropped = dropped;
    }

    @Override
    public long getCallsSeen() {
        return seen.sum();
    }

    @Override
    public long getAllowed() {
        return allowed.sum();
    }

    @Override
    public long getDenied() {
        return denied.sum();
    }

    @Override
    public Map<String, Long> getDeniedByReason() {
        return snapshot(deniedByReason);
    }

    @Override
    public Map<String, Long> getCallsByTool() {
        return snapshot(callsByTool);
    }

    @Override
    public Map<String, Long> getDeniedByTool() {
        return snapshot(deniedByTool);
    }

    @Override
    public Map<String, Long> getCallsByGrant() {
        return snapshot(callsByGrant);
    }

    @Override
    public Map<String, Long> getDeniedByGrant() {
        return snapshot(deniedByGrant);
    }

    @Override
    public String getIdentity() {
        return identity;
    }

    @Override
    public String getGrantsSource() {
        return grantsSource;
    }

    @Override
    public String getGrantsHash() {
        return grantsHash;
    }

    @Override
    public String getPolicySource() {
        return policySource;
    }

    @Override
    public String getPolicyHash() {
        return policyHash;
    }

    @Override
    public String getPolicyLoadedAt() {
        return policyLoadedAt;
    }

    @Override
    public long getPolicyReloads() {
        return reloads.sum();
    }

    @Override
    public long getPolicyReloadsRejected() {
        return reloadsRejected.sum();
    }

    @Override
    public List<String> getChokePoints() {
        return List.copyOf(chokePoints.get());
    }

    @Override
    public long getAuditLinesDropped() {
        return auditDropped.getAsLong();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
