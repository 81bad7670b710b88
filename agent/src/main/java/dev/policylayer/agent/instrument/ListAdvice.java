package dev.policylayer.agent.instrument;

import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into every tools/list path (server handler lambda, client {@code listTools}): drops hidden tools. */
final class ListAdvice {

    private ListAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object owner,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = ToolCallGate.filterList(returned, owner);
    }
}
