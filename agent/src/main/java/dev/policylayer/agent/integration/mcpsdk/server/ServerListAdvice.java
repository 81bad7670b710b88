package dev.policylayer.agent.integration.mcpsdk.server;

import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into the server's tools/list handler lambda: drops hidden tools from the result. */
final class ServerListAdvice {

    private ServerListAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object server,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.list(McpSdkServer.ID, server, returned);
    }
}
