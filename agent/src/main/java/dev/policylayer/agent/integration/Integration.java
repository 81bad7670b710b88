package dev.policylayer.agent.integration;

import dev.policylayer.agent.caller.RequestReader;
import dev.policylayer.agent.gate.CallChannel;
import java.util.List;

/**
 * One library whose tool calls the agent decides, in one folder: which of its types and methods are choke points
 * and which advice goes on them ({@link #chokePoints()}), and how the gate reads and answers a call there
 * ({@link #channel}). Registered with one line in {@link Integrations}; the gate and the engine never name a
 * library.
 */
public interface Integration {

    /** The id its advice passes to the gate; a compile-time constant, so the inlined advice references no class. */
    String id();

    /** What it is, for log lines: {@code MCP SDK server}. */
    String description();

    /** The types and methods to instrument. */
    List<ChokePoint> chokePoints();

    /**
     * How to read and answer calls made through {@code self} (cached per class: this is on every call). An
     * integration whose choke points only see requests (not calls) has none.
     */
    default CallChannel channel(Object self) {
        throw new UnknownShapeException(description() + " decides no tool calls", null);
    }

    /**
     * For an integration whose advice notes the requests tool calls come in on ({@code requestEntered}): how to
     * read a caller's identity from them. Null for the others.
     */
    default RequestReader requests() {
        return null;
    }

    /** The policy's hide list changed: tell this library's peers, where it can (a server's list_changed). */
    default void hideListChanged() {
    }

    /** A type holding a choke point was instrumented (the SDK is in use): hook for the integration's own needs. */
    default void instrumented(String typeName, ClassLoader loader) {
    }
}
