package dev.policylayer.agent.integration.langchain4j;

import dev.policylayer.agent.gate.CallChannel;
import dev.policylayer.agent.gate.Settlement;
import dev.policylayer.agent.gate.ToolRequest;
import dev.policylayer.agent.integration.ClientIds;
import dev.policylayer.engine.decision.SessionRef;
import dev.policylayer.engine.decision.Side;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code DefaultMcpClient.executeTool}: synchronous, answers are text or a tool result. A synchronous call cannot be
 * answered later, so the gate waits for a decision that is not ready (bounded by the counter store's timeout).
 */
final class LangChain4jChannel implements CallChannel {

    @Override
    public Side side() {
        return Side.CLIENT;
    }

    @Override
    public ToolRequest read(Object client, Object[] arguments) {
        return LangChain4jBridge.of(client).fromRequest(arguments[0]).in(SessionRef.of(ClientIds.of(client)));
    }

    @Override
    public Object denial(Object client, String text) {
        return LangChain4jBridge.of(client).errorResult(text);
    }

    /**
     * Kept when it returned a result, refunded as an error result when the result says the tool failed (only
     * {@code ToolExecutionResult} can say so: for {@code String} results the quota stays spent, the safe side).
     */
    @Override
    public Object settleOnOutcome(Object client, Object returned, Settlement settlement) {
        if (LangChain4jBridge.of(client).isErrorResult(returned)) {
            settlement.errorResult();
        } else {
            settlement.succeeded();
        }
        return returned;
    }

    @Override
    public Object filterList(Object client, Object returned, Predicate<String> visible) {
        return returned instanceof List<?> tools ? LangChain4jBridge.of(client).filterTools(tools, visible) : returned;
    }
}
