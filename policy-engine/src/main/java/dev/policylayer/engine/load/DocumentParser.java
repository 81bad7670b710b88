package dev.policylayer.engine.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON or YAML text into {@link Node}s, keeping line and column. Problems (syntax, duplicate keys) are
 * collected, not thrown one at a time; a syntax error ends the read.
 */
final class DocumentParser {
    private static final int MAX_DEPTH = 64;

    enum Format { JSON, YAML }

    private final String source;
    private final List<PolicyProblem> problems;
    private final String what;
    private final String emptySuggestion;
    private final boolean holdsSecrets;

    DocumentParser(String source, List<PolicyProblem> problems) {
        this(source, problems, "policy", "start from {\"version\": \"1\", \"default\": \"deny\", \"tools\": {}}",
                false);
    }

    /**
     * @param what         what the document is, for messages ({@code policy}, {@code grants file})
     * @param holdsSecrets the text may hold a secret (a token pasted where its hash belongs), so a syntax error
     *                     gives its place but not the parser's words, which quote the text they stopped at
     */
    DocumentParser(String source, List<PolicyProblem> problems, String what, String emptySuggestion,
                   boolean holdsSecrets) {
        this.source = source;
        this.problems = problems;
        this.what = what;
        this.emptySuggestion = emptySuggestion;
        this.holdsSecrets = holdsSecrets;
    }

    /** The document's root, or null when it could not be read (the problem is recorded). */
    Node parse(String text, Format format) {
        JsonFactory factory = format == Format.YAML ? new YAMLFactory() : new JsonFactory();
        factory.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(new PolicyProblem(source, null, "", "the " + what + " is empty", emptySuggestion));
                return null;
            }
            Node root = read(parser, "");
            if (parser.nextToken() != null) {
                problems.add(new PolicyProblem(source, where(parser.currentTokenLocation()), "",
                        "unexpected content after the end of the " + what + " document", null));
            }
            return root;
        } catch (JsonProcessingException syntax) {
            problems.add(new PolicyProblem(source, where(syntax.getLocation()), null,
                    (format == Format.YAML ? "invalid YAML" : "invalid JSON") + (holdsSecrets ? " here (what the"
                            + " parser found is not repeated: it may be a secret)" : ": " + syntax.getOriginalMessage()),
                    null));
            return null;
        } catch (IOException unreadable) {
            problems.add(new PolicyProblem(source, null, null, "could not read the " + what + ": " + unreadable, null));
            return null;
        }
    }

    private Node read(JsonParser parser, String pointer) throws IOException {
        String location = where(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                Map<String, String> keyLocations = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String fieldLocation = where(parser.currentTokenLocation());
                    parser.nextToken();
                    Node value = read(parser, pointer + "/" + Pointers.escape(name));
                    if (fields.containsKey(name)) {
                        problems.add(new PolicyProblem(source, fieldLocation, pointer + "/" + Pointers.escape(name),
                                "duplicate key \"" + name + "\": a " + what + " must say each thing once",
                                "remove one of the two"));
                    }
                    fields.put(name, value);
                    keyLocations.put(name, fieldLocation);
                }
                return new Node(fields, location, keyLocations);
            }
            case START_ARRAY -> {
                List<Node> elements = new ArrayList<>();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(read(parser, pointer + "/" + index++));
                }
                return new Node(elements, location);
            }
            case VALUE_STRING -> {
                return new Node(parser.getText(), location);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node(parser.getDecimalValue(), location);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(token == JsonToken.VALUE_TRUE, location);
            }
            case VALUE_NULL -> {
                return new Node(null, location);
            }
            default -> throw new JsonProcessingException("unexpected " + token, parser.currentTokenLocation()) {
                private static final long serialVersionUID = 1L;
            };
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return null;
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
