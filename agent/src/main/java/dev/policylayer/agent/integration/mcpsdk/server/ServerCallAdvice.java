package dev.policylayer.agent.integration.mcpsdk.server;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the server's tools/call handler lambda (every transport goes through it): asks the gate, and
 * either skips the handler and returns the denial, or lets it run and settles the quota on its outcome. Not
 * suppressed: should the gate ever throw, the handler does not run (the SDK answers with an error).
 */
final class ServerCallAdvice {

    private ServerCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Replacement.class)
    static Object enter(@Advice.This Object server, @Advice.AllArguments Object[] arguments) {
        return ToolCallGate.enter(McpSdkServer.ID, server, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Thrown Throwable thrown,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.exit(entered, returned, thrown);
    }
}
