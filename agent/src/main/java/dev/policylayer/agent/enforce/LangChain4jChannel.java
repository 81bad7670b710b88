package dev.policylayer.agent.enforce;

import dev.policylayer.agent.langchain4j.LangChain4jBridge;
import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.engine.decision.Reservation;

/** LangChain4j's {@code DefaultMcpClient.executeTool}: synchronous, answers are text or a tool result. */
record LangChain4jChannel(LangChain4jBridge bridge) implements CallChannel {

    @Override
    public Replacement deny(String text) {
        return new Replacement(bridge.errorResult(text));
    }

    @Override
    public Object hold(Reservation reservation) {
        return new DirectSettlement(reservation, bridge);
    }
}
