package dev.policylayer.agent.integration.langchain4j;

import static dev.policylayer.agent.integration.ReflectiveCalls.invoke;

import dev.policylayer.agent.gate.ToolRequest;
import dev.policylayer.agent.integration.UnknownShapeException;
import dev.policylayer.engine.text.Quoted;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads and answers LangChain4j's {@code DefaultMcpClient} calls by reflection, for every release the agent
 * knows: {@code executeTool} returns {@code String} up to 1.5 and {@code ToolExecutionResult} from 1.6, so a
 * denial is built as whatever this client's method returns. One bridge per client class.
 */
final class LangChain4jBridge {
    private static final ClassValue<LangChain4jBridge> BRIDGES = new ClassValue<>() {
        @Override
        protected LangChain4jBridge computeValue(Class<?> clientType) {
            return new LangChain4jBridge(clientType);
        }
    };
    private static final String REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
    private static final String SPECIFICATION = "dev.langchain4j.agent.tool.ToolSpecification";

    private final Class<?> resultType;
    private final Method requestName;
    private final Method requestArguments;
    private final Class<?> specificationType;
    private final Method specificationName;
    private final Method isError;
    private final Method builder;
    private final Method builderIsError;
    private final Method builderResultText;
    private final Method build;

    private LangChain4jBridge(Class<?> clientType) {
        try {
            Class<?> request = Class.forName(REQUEST, false, clientType.getClassLoader());
            requestName = request.getMethod("name");
            requestArguments = request.getMethod("arguments");
            specificationType = Class.forName(SPECIFICATION, false, clientType.getClassLoader());
            specificationName = specificationType.getMethod("name");
            resultType = clientType.getMethod("executeTool", request).getReturnType();
            if (resultType == String.class) {
                isError = builder = builderIsError = builderResultText = build = null;
            } else {
                isError = resultType.getMethod("isError");
                builder = resultType.getMethod("builder");
                Class<?> builderType = builder.getReturnType();
                builderIsError = builderType.getMethod("isError", boolean.class);
                builderResultText = builderType.getMethod("resultText", String.class);
                build = builderType.getMethod("build");
            }
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError unknownShape) {
            throw new UnknownShapeException("LangChain4j's MCP client " + clientType.getName() + " has a shape the"
                    + " agent does not know", unknownShape);
        }
    }

    static LangChain4jBridge of(Object client) {
        return BRIDGES.get(client.getClass());
    }

    /** The call as the engine sees it; {@code malformed} says why when its arguments are not a JSON object. */
    ToolRequest fromRequest(Object request) {
        Object name = invoke(requestName, request);
        Object text = invoke(requestArguments, request);
        String tool = name instanceof String n ? n : null;
        try {
            return new ToolRequest(tool, ArgumentsJson.parse(text instanceof String t ? t : null), null, null);
        } catch (IOException notJson) {
            String first = notJson.getMessage() == null ? "" : notJson.getMessage().lines().findFirst().orElse("");
            return new ToolRequest(tool, Map.of(), null, "the arguments are not a JSON object ("
                    + Quoted.name(first) + ")");
        }
    }

    /** What {@code executeTool} returns for a denial: the text, or an error {@code ToolExecutionResult}. */
    Object errorResult(String text) {
        if (builder == null) {
            return text;
        }
        Object b = invoke(builder, null);
        invoke(builderIsError, b, true);
        invoke(builderResultText, b, text);
        return invoke(build, b);
    }

    /** Whether the call's result says the tool failed (only {@code ToolExecutionResult} can say so). */
    boolean isErrorResult(Object result) {
        return isError != null && resultType.isInstance(result) && Boolean.TRUE.equals(invoke(isError, result));
    }

    /** {@code listTools()}'s list without the tools {@code visible} refuses; a new list, the original untouched. */
    List<?> filterTools(List<?> tools, Predicate<String> visible) {
        List<Object> kept = new ArrayList<>(tools.size());
        for (Object tool : tools) {
            Object name = specificationType.isInstance(tool) ? invoke(specificationName, tool) : null;
            if (!(name instanceof String n) || visible.test(n)) {
                kept.add(tool);
            }
        }
        return kept.size() == tools.size() ? tools : kept;
    }
}
