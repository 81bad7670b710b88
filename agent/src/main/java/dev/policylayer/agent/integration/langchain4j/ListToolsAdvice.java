package dev.policylayer.agent.integration.langchain4j;

import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into LangChain4j's {@code DefaultMcpClient.listTools}: drops hidden tools from the list. */
final class ListToolsAdvice {

    private ListToolsAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object client,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.list(LangChain4jClient.ID, client, returned);
    }
}
