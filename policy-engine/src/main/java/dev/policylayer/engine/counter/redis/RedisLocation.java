package dev.policylayer.engine.counter.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the Redis counter store is: {@code redis://[user[:password]@]host:port[/db]}, or {@code rediss://} for TLS.
 * The password may instead come from an environment variable the user names. It is kept here and handed to the
 * client, and appears in no text: {@link #toString()} shows {@code user@host:port/db} and whether a password is set.
 *
 * @param tls      {@code rediss://}
 * @param host     the server
 * @param port     its port (6379 when not given)
 * @param user     the ACL user, or null for the default user
 * @param password the password, or null
 * @param database the database index
 */
public record RedisLocation(boolean tls, String host, int port, String user, String password, int database) {

    /**
     * Reads a {@code redis://} or {@code rediss://} URL.
     *
     * @param passwordFromEnvironment the password the named environment variable holds, or null
     * @throws IllegalArgumentException saying what is wrong (never quoting a password)
     */
    public static RedisLocation parse(String url, String passwordFromEnvironment) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException malformed) {
            throw new IllegalArgumentException("is not a redis:// URL (" + malformed.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("must start with redis:// or rediss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("names no host: redis://host:port");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String rawUser = colon < 0 ? info : info.substring(0, colon);
            user = rawUser.isEmpty() ? null : decode(rawUser);
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (passwordFromEnvironment != null && !passwordFromEnvironment.isEmpty()) {
            password = passwordFromEnvironment;
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException("has a database that is not a number: /" + path.substring(1));
            }
            if (database < 0) {
                throw new IllegalArgumentException("has a negative database index");
            }
        }
        return new RedisLocation("rediss".equals(scheme), uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(),
                user, password, database);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    /** {@code redis://user@host:port/db} (and whether a password is set): never the password itself. */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + host + ":" + port + "/" + database
                + (password == null ? "" : " (with a password)");
    }
}
