package dev.policylayer.agent.gate;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.reload.LivePolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The policy the gate decides by, from the moment the gate exists: first nothing (the agent is starting), then
 * the policy the start-up loaded, or, when the start-up itself failed in any way, an engine that denies every
 * call saying why (with {@code policylayer.fail=open}: none, and every call is allowed with a warning). The gate
 * is installed before any of this is known, so that no instrumented call can run undecided.
 */
public final class PolicyInForce {
    private final boolean failOpen;
    private final CompletableFuture<LivePolicy> started = new CompletableFuture<>();
    private volatile LivePolicy live;

    public PolicyInForce(boolean failOpen) {
        this.failOpen = failOpen;
    }

    /** The start-up's policy is in force (it may itself be a fail-closed engine, if the policy was invalid). */
    public void started(LivePolicy policy) {
        live = policy;
        started.complete(policy);
    }

    /** The start-up failed before a policy came into force: deny everything saying why, unless failing open. */
    public void startFailed(String why) {
        if (live == null) {
            started(LivePolicy.fixed(failOpen ? null : PolicyEngine.failClosed("the policy agent could not start ("
                    + why + "); see the [policylayer] lines on stderr")));
        }
    }

    public boolean failOpen() {
        return failOpen;
    }

    /** The policy in force, or null while the agent is still starting. */
    public LivePolicy now() {
        return live;
    }

    /** Completes once a policy is in force. */
    public CompletableFuture<LivePolicy> whenStarted() {
        return started;
    }

    /** The policy in force, waiting up to {@code nanos} for the start-up; null when it is not done by then. */
    public LivePolicy await(long nanos) {
        LivePolicy now = live;
        if (now != null) {
            return now;
        }
        try {
            return started.get(nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException notYet) {
            return null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
