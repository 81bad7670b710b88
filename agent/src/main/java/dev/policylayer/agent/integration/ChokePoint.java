package dev.policylayer.agent.integration;

import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One type of a library that holds a tool-call choke point, and what goes on it.
 *
 * @param typeName   the type's binary name ({@code io.modelcontextprotocol.server.McpAsyncServer})
 * @param callName   what the call method is, for log lines ({@code tools/call}, {@code executeTool})
 * @param calls      candidate call methods, leaf first: the first of these the type declares gets the call advice
 *                   (a library with an overload that delegates to another is decided once)
 * @param callAdvice the advice class for the call method
 * @param listName   what the list method is, for log lines
 * @param list       the tools/list methods (null when the type has none)
 * @param listAdvice the advice class for them
 */
public record ChokePoint(String typeName, String callName, List<ElementMatcher<? super MethodDescription>> calls,
                         Class<?> callAdvice, String listName, ElementMatcher<? super MethodDescription> list,
                         Class<?> listAdvice) {
    public ChokePoint {
        calls = List.copyOf(calls);
    }
}
