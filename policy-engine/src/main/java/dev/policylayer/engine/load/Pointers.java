package dev.policylayer.engine.load;

/** JSON pointer segments (RFC 6901): {@code ~} and {@code /} in a key are escaped. */
final class Pointers {

    private Pointers() {
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
