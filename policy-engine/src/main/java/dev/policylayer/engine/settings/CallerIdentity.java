package dev.policylayer.engine.settings;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a server-side call's grant comes from ({@code policylayer.identity}), and the grants file that says who
 * the callers are ({@code policylayer.grants}). Client-side calls always count against {@code policylayer.grant}:
 * there, the application is the caller.
 *
 * @param source  what identifies the caller
 * @param header  for {@link Source#HEADER}, the header's name; else null
 * @param grants  the grants file, when one is configured
 * @param problem why the settings cannot be used (every server-side call is then denied, saying so), or null
 */
public record CallerIdentity(Source source, String header, Optional<Path> grants, String problem) {
    public static final String IDENTITY = "policylayer.identity";
    public static final String GRANTS = "policylayer.grants";

    /** Today's behaviour: one grant for the whole process. */
    public static final CallerIdentity STATIC = new CallerIdentity(Source.STATIC, null, Optional.empty(), null);

    /** What identifies a server-side caller. */
    public enum Source {
        /** {@code policylayer.grant}, whoever calls (the default). */
        STATIC,
        /** The principal the application authenticated for the request (servlet {@code getUserPrincipal()}). */
        PRINCIPAL,
        /** The request's {@code Authorization: Bearer} token, matched by its SHA-256 in the grants file. */
        BEARER,
        /** A header a trusted proxy in front of the server sets, matched in the grants file. */
        HEADER
    }

    /** Whether calls need the HTTP request they came in on (anything but {@link Source#STATIC}). */
    public boolean fromRequest() {
        return source != Source.STATIC;
    }

    /** For log lines: {@code bearer}, {@code header:X-Agent}. */
    public String describe() {
        String name = source.name().toLowerCase(Locale.ROOT);
        return source == Source.HEADER ? name + ":" + header : name;
    }

    static CallerIdentity from(Settings settings) {
        String text = settings.get(IDENTITY).map(String::trim).orElse("");
        Optional<Path> grants = settings.get(GRANTS).map(String::trim).filter(g -> !g.isEmpty()).map(Path::of);
        String lower = text.toLowerCase(Locale.ROOT);
        Source source;
        String header = null;
        if (text.isEmpty() || lower.equals("static")) {
            source = Source.STATIC;
        } else if (lower.equals("principal")) {
            source = Source.PRINCIPAL;
        } else if (lower.equals("bearer")) {
            source = Source.BEARER;
        } else if (lower.startsWith("header:") && validHeaderName(text.substring("header:".length()).trim())) {
            source = Source.HEADER;
            header = text.substring("header:".length()).trim();
        } else {
            return unusable(grants, IDENTITY + " must be static, principal, bearer or header:<Name>, got \"" + text
                    + "\"");
        }
        if (source == Source.STATIC && grants.isPresent()) {
            return unusable(grants, GRANTS + " is set but " + IDENTITY + " is static, so no caller could be matched"
                    + " against it; set " + IDENTITY + "=bearer, principal or header:<Name>");
        }
        if ((source == Source.BEARER || source == Source.HEADER) && grants.isEmpty()) {
            return unusable(grants, IDENTITY + "=" + text + " needs a grants file that says whose "
                    + (source == Source.BEARER ? "tokens" : "header values") + " these are: set " + GRANTS);
        }
        return new CallerIdentity(source, header, grants, null);
    }

    private static CallerIdentity unusable(Optional<Path> grants, String why) {
        return new CallerIdentity(Source.STATIC, null, grants, why);
    }

    /** An HTTP token (RFC 9110): letters, digits and {@code !#$%&'*+-.^_`|~}. */
    private static boolean validHeaderName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
