package dev.policylayer.agent.integration.langchain4j;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tool call's arguments from the JSON text LangChain4j sends, the way LangChain4j's own Jackson does
 * before the call leaves the JVM: a repeated key keeps its last value, numbers are exact, and the limits are
 * Jackson's defaults (nesting 1000, strings 20 MB), so the policy checks exactly what the server will get.
 */
final class ArgumentsJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000)
                    .maxStringLength(20_000_000).build())
            .build();

    private ArgumentsJson() {
    }

    /** The arguments object; an empty map for null or blank text (as LangChain4j sends {@code {}}). */
    static Map<String, Object> parse(String text) throws IOException {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the arguments are not a JSON object");
            }
            Map<String, Object> arguments = object(parser);
            if (parser.nextToken() != null) {
                throw new IOException("text follows the arguments object");
            }
            return arguments;
        }
    }

    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            parser.nextToken();
            object.put(key, value(parser));
        }
        return object;
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token + " in the arguments");
        };
    }
}
