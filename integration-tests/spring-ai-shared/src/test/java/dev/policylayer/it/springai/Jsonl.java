package dev.policylayer.it.springai;

import java.util.List;
import java.util.stream.Collectors;

/** Writes the app's report lines as JSON without a JSON library (Spring AI 1.x and 2.x bring different ones). */
final class Jsonl {

    private Jsonl() {
    }

    static String strings(List<String> values) {
        return values.stream().map(Jsonl::string).collect(Collectors.joining(",", "[", "]"));
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
