package dev.policylayer.agent.instrument;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into LangChain4j's {@code DefaultMcpClient.executeTool} (the leaf overload of each release): a
 * denied call returns the denial and never reaches the MCP server; an allowed one settles its quota when the
 * method returns or throws.
 */
final class DirectCallAdvice {

    private DirectCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Replacement.class, suppress = Throwable.class)
    static Object enter(@Advice.This Object client, @Advice.Argument(0) Object request) {
        return ToolCallGate.directCall(client, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Thrown Throwable thrown,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.afterDirectCall(entered, returned, thrown);
    }
}
