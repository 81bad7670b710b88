package dev.policylayer.agent.integration.mcpsdk.client;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code McpAsyncClient.callTool(CallToolRequest)} (the sync client and Spring AI delegate to it): a
 * denied call is answered here and never reaches the server.
 */
final class ClientCallAdvice {

    private ClientCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Replacement.class)
    static Object enter(@Advice.This Object client, @Advice.AllArguments Object[] arguments) {
        return ToolCallGate.enter(McpSdkClient.ID, client, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Thrown Throwable thrown,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.exit(entered, returned, thrown);
    }
}
