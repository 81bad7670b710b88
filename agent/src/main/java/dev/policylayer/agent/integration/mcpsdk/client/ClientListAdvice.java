package dev.policylayer.agent.integration.mcpsdk.client;

import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into the client's {@code listTools}: drops hidden tools from what the app (and its model) sees. */
final class ClientListAdvice {

    private ClientListAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object client,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.list(McpSdkClient.ID, client, returned);
    }
}
