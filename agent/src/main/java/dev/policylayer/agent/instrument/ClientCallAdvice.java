package dev.policylayer.agent.instrument;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code McpAsyncClient.callTool(CallToolRequest)} (the sync client and Spring AI delegate to it):
 * a denied call is answered here and never reaches the server.
 */
final class ClientCallAdvice {

    private ClientCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Replacement.class, suppress = Throwable.class)
    static Object enter(@Advice.This Object client, @Advice.Argument(0) Object request) {
        return ToolCallGate.clientCall(client, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Thrown Throwable thrown,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.afterCall(entered, returned, thrown);
    }
}
