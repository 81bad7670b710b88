package dev.policylayer.agent.gate;

import dev.policylayer.engine.decision.Side;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * What the gate needs from one integration to decide a call at its choke point and answer in the library's own
 * terms. Each integration implements it in its own folder, by reflection on the library's types; the gate knows
 * no library. Implementations may throw (an unknown library shape): the gate then denies by the next means it has.
 */
public interface CallChannel {

    /** Which side of the conversation this choke point is on. */
    Side side();

    /** The call the instrumented method was given. */
    ToolRequest read(Object self, Object[] arguments);

    /** What the instrumented method returns for a denial whose text the caller reads (a tool result with isError). */
    Object denial(Object self, String text);

    /**
     * A second way to refuse when {@link #denial} failed (an error signal in the library's own reactive type, say).
     * The default has none; the gate then throws {@code ToolCallRefused} out of the method.
     */
    default Object refusal(Object self, String text) {
        throw new UnsupportedOperationException("no second way to refuse");
    }

    /**
     * Whether the gate hands every allowed call to {@link #settleOnOutcome}, not only those that hold quota (an
     * integration that watches calls in flight, say).
     */
    default boolean watchesEveryCall() {
        return false;
    }

    /**
     * The allowed method returned {@code returned}: settle {@code settlement} when the call's outcome is known, and
     * return what the method returns (for a reactive library, the value wrapped to watch its outcome).
     */
    Object settleOnOutcome(Object self, Object returned, Settlement settlement);

    /** The allowed method threw before returning. */
    default void threw(Settlement settlement, Throwable thrown) {
        settlement.failed();
    }

    /** The tools/list result {@code returned} with the tools {@code visible} refuses removed. */
    Object filterList(Object self, Object returned, Predicate<String> visible);

    /**
     * For a reactive library: what the method returns now when the decision is not known yet (a remote counter store,
     * an agent still starting), a value that completes once {@code outcome} does, with the denial or with the real
     * call (run by {@link #reinvoke} once the gate let it through). Null when this library cannot answer later: the
     * gate then waits for the decision, bounded.
     */
    default Object later(Object self, Object[] arguments, CompletionStage<Later> outcome) {
        return null;
    }

    /**
     * Whether {@link #later} can answer this call later (needed to hold a call for approval, or to ask its user);
     * without it a call that needs approval is answered at once.
     */
    default boolean canDefer(Object self) {
        return false;
    }

    /** Whether the call's user can be asked ({@link #ask}): the client declared it can be (MCP elicitation). */
    default boolean canAsk(Object self, Object[] arguments) {
        return false;
    }

    /** Asks the call's user {@code question}; the stage completes with the answer, or fails. */
    default CompletionStage<AskAnswer> ask(Object self, Object[] arguments, String question) {
        throw new UnsupportedOperationException("this library cannot ask its user");
    }

    /** Keep-alive for a held call: a progress notification, where the request carries a progress token. */
    default void progress(Object self, Object[] arguments, String message) {
    }

    /** Runs the instrumented method again, for a call decided {@link #later}; the gate lets it through at once. */
    default Object reinvoke(Object self, Object[] arguments) {
        throw new UnsupportedOperationException("this library's calls are not decided later");
    }
}
