package dev.policylayer.agent.integration.langchain4j;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into LangChain4j's {@code DefaultMcpClient.executeTool} (the leaf overload of each release): a denied
 * call returns the denial and never reaches the MCP server; an allowed one settles its quota when the method
 * returns or throws.
 */
final class ExecuteToolAdvice {

    private ExecuteToolAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Replacement.class)
    static Object enter(@Advice.This Object client, @Advice.AllArguments Object[] arguments) {
        return ToolCallGate.enter(LangChain4jClient.ID, client, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Thrown Throwable thrown,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.exit(entered, returned, thrown);
    }
}
