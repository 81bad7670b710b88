package dev.policylayer.agent.gate;

import dev.policylayer.agent.log.AgentLog;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.approval.Approval;
import dev.policylayer.engine.approval.ApprovalMode;
import dev.policylayer.engine.approval.ApprovalSpec;
import dev.policylayer.engine.approval.ApprovalStore;
import dev.policylayer.engine.approval.ApprovalStoreException;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.Reservation;
import dev.policylayer.engine.decision.RuleKind;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.text.Quoted;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gets a decision for a call that needs approval, by the tool's modes in order: <b>ask</b> the call's user (when
 * the client can be asked), <b>hold</b> the call until an operator decides (or the timeout), or answer at once
 * (<b>async</b>, the caller calls again once approved). Whatever the answer, the call is decided again by the
 * engine, which takes the approval's use atomically: a call runs only on a use it took.
 */
public final class ApprovalDesk {
    /** How often a held call looks at the store. */
    static final long POLL_MILLIS = 200;
    /** How often a held call tells its client it is still waiting (a progress notification). */
    static final long KEEP_ALIVE_MILLIS = 5_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "policylayer-approval-wait");
        thread.setDaemon(true);
        return thread;
    });
    private volatile ApprovalStore store;

    /** The agent's approval store is open. */
    public void started(ApprovalStore opened) {
        store = opened;
    }

    /**
     * The decision of {@code pending} (an {@link Verdict#APPROVAL_REQUIRED}) once asked or held, or null when it is
     * to be answered now (async, or a library that cannot answer later).
     */
    CompletionStage<Decision> resolve(Decision pending, PolicyEngine engine, ToolCall call, CallChannel channel,
                                      Object self, Object[] arguments) {
        ApprovalStore approvals = store;
        ApprovalSpec spec = pending.approval();
        if (approvals == null || spec == null || pending.approvalId() == null || !canDefer(channel, self)) {
            return null;
        }
        for (ApprovalMode mode : spec.modes()) {
            switch (mode) {
                case ASK -> {
                    if (canAsk(channel, self, arguments)) {
                        return ask(approvals, pending, spec, engine, call, channel, self, arguments);
                    }
                }
                case HOLD -> {
                    return hold(approvals, pending, spec, engine, call, channel, self, arguments);
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    private CompletionStage<Decision> ask(ApprovalStore approvals, Decision pending, ApprovalSpec spec,
                                          PolicyEngine engine, ToolCall call, CallChannel channel, Object self,
                                          Object[] arguments) {
        CompletableFuture<Decision> decided = new CompletableFuture<>();
        String question = "Allow the tool \"" + Quoted.name(call.tool()) + "\" to run with these arguments?\n"
                + ArgumentsText.of(call.arguments()) + "\n(approval " + pending.approvalId() + ")";
        CompletionStage<AskAnswer> answer;
        try {
            answer = channel.ask(self, arguments, question);
        } catch (RuntimeException | LinkageError cannotAsk) {
            AgentLog.errorOnce("ask-" + cannotAsk.getClass().getName(), "could not ask a client's user to approve a"
                    + " call; it is denied", cannotAsk);
            return CompletableFuture.completedFuture(denied(pending, "its user could not be asked ("
                    + cannotAsk.getClass().getSimpleName() + ")"));
        }
        answer.toCompletableFuture().orTimeout(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((said, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof java.util.concurrent.CompletionException
                                && failure.getCause() != null ? failure.getCause() : failure;
                        decided.complete(denied(pending, cause instanceof TimeoutException
                                ? "its user did not answer within " + spec.timeout().toSeconds() + "s"
                                : "its user could not be asked (" + cause.getClass().getSimpleName() + ")"));
                    } else if (said == AskAnswer.ACCEPTED) {
                        try {
                            approvals.approve(pending.approvalId(), 1, spec.validFor(), "the client's user (MCP"
                                    + " elicitation), grant " + Quoted.name(call.grant()));
                        } catch (ApprovalStoreException | RuntimeException notNow) {
                            // an operator decided meanwhile, or the store failed: the engine's second look says how
                        }
                        decideAgain(engine, call, pending, decided);
                    } else {
                        decided.complete(denied(pending, said == AskAnswer.DECLINED ? "its user declined"
                                : "its user cancelled"));
                    }
                });
        return decided;
    }

    private CompletionStage<Decision> hold(ApprovalStore approvals, Decision pending, ApprovalSpec spec,
                                           PolicyEngine engine, ToolCall call, CallChannel channel, Object self,
                                           Object[] arguments) {
        CompletableFuture<Decision> decided = new CompletableFuture<>();
        long started = System.nanoTime();
        long deadline = started + spec.timeout().toNanos();
        Runnable look = new Runnable() {
            private long nextKeepAlive = started + TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS);

            @Override
            public void run() {
                try {
                    look();
                } catch (RuntimeException | Error failed) {
                    // never leave the held call waiting on a look that died: it is denied, saying so
                    decided.complete(denied(pending, "its approval could not be waited for ("
                            + failed.getClass().getSimpleName() + ")"));
                }
            }

            private void look() {
                if (decided.isDone()) {
                    return;
                }
                try {
                    Optional<Approval> now = approvals.get(pending.approvalId());
                    if (now.isEmpty() || now.get().state() != Approval.State.PENDING
                            || now.get().expired(approvals.now())) {
                        decideAgain(engine, call, pending, decided); // decided, or lapsed: the engine says which
                        return;
                    }
                } catch (ApprovalStoreException unreadable) {
                    decided.complete(denied(pending, "its approval cannot be checked: " + unreadable.getMessage()));
                    return;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    decided.complete(denied(pending, "no operator decided within " + spec.timeout().toSeconds()
                            + "s; it stays pending: once it is approved, call again"));
                    return;
                }
                if (now - nextKeepAlive >= 0) {
                    nextKeepAlive = now + TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS);
                    try {
                        channel.progress(self, arguments, "waiting for approval " + pending.approvalId());
                    } catch (RuntimeException | LinkageError cannotTell) {
                        AgentLog.errorOnce("progress-" + cannotTell.getClass().getName(), "could not send a"
                                + " progress notification to a held call's client", cannotTell);
                    }
                }
                timer.schedule(this, POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        };
        timer.schedule(look, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return decided;
    }

    /** Decides the call again: it runs only if the engine now takes a use of its approval. */
    private static void decideAgain(PolicyEngine engine, ToolCall call, Decision pending,
                                    CompletableFuture<Decision> decided) {
        CompletionStage<Decision> again;
        try {
            again = engine.decideAsync(call);
        } catch (RuntimeException | Error failed) {
            decided.complete(denied(pending, "it could not be decided again (" + failed.getClass().getSimpleName()
                    + ")"));
            return;
        }
        again.whenComplete((decision, failure) -> decided.complete(failure != null
                ? denied(pending, "it could not be decided again (" + failure.getClass().getSimpleName() + ")")
                : decision.verdict() == Verdict.APPROVAL_REQUIRED ? denied(pending, "its approval is still pending")
                : decision));
    }

    static Decision denied(Decision pending, String why) {
        return new Decision(Verdict.DENY, RuleKind.APPROVAL, pending.tool(), pending.rule(), "tool \""
                + Quoted.name(pending.tool()) + "\" denied by " + pending.rule() + ": " + why + " (approval "
                + pending.approvalId() + ")", Reservation.NONE, pending.approvalId(), null);
    }

    private static boolean canDefer(CallChannel channel, Object self) {
        try {
            return channel.canDefer(self);
        } catch (RuntimeException | LinkageError unknown) {
            return false;
        }
    }

    private static boolean canAsk(CallChannel channel, Object self, Object[] arguments) {
        try {
            return channel.canAsk(self, arguments);
        } catch (RuntimeException | LinkageError unknown) {
            return false; // a shape the agent does not know: the next mode
        }
    }

    /** The arguments as the person asked reads them: JSON, bounded. */
    static final class ArgumentsText {
        static final int MAX_CHARS = 2000;

        private ArgumentsText() {
        }

        static String of(Map<String, ?> arguments) {
            StringBuilder text = new StringBuilder();
            append(arguments, text);
            return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS) + "… ("
                    + text.length() + " characters)";
        }

        private static void append(Object value, StringBuilder out) {
            if (out.length() > MAX_CHARS) {
                return;
            }
            if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ", ").append('"').append(Quoted.name(String.valueOf(entry.getKey())))
                            .append("\": ");
                    first = false;
                    append(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof java.util.List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    append(list.get(i), out);
                }
                out.append(']');
            } else if (value instanceof String text) {
                out.append('"').append(Quoted.name(text)).append('"');
            } else {
                out.append(value);
            }
        }
    }
}
