package dev.policylayer.agent.integration.servlet;

import dev.policylayer.bootstrap.ToolCallGate;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HttpServlet#service}: tells the gate which request this thread serves, and when it is done.
 * Suppressed both ways: noting a request must never break the application's HTTP serving (a call whose request
 * was not noted carries no caller, and is denied where one is needed).
 */
final class RequestAdvice {

    private RequestAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) Object request) {
        return ToolCallGate.requestEntered(ServletRequests.ID, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object entered) {
        ToolCallGate.requestExited(ServletRequests.ID, entered);
    }
}
