package dev.policylayer.agent.instrument;

import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the server's tools/call handler lambda (every transport goes through it): asks the gate, and
 * either skips the handler and returns the denial, or lets it run and settles the quota on its outcome.
 */
final class ServerCallAdvice {

    private ServerCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Replacement.class, suppress = Throwable.class)
    static Object enter(@Advice.This Object server, @Advice.AllArguments Object[] arguments) {
        return ToolCallGate.serverCall(server, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Thrown Throwable thrown,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.afterCall(entered, returned, thrown);
    }
}
