package dev.policylayer.engine.spelling;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for policy authors: the closest known name to a misspelt one, if it is close enough. */
public final class Suggestions {

    private Suggestions() {
    }

    /** The known name nearest to {@code written} (case, '-' vs '_' and small typos forgiven), or empty. */
    public static Optional<String> nearest(String written, Collection<String> known) {
        if (written == null) {
            return Optional.empty();
        }
        String normalised = normalise(written);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(normalised, normalise(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, written.length() / 3);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** Edit distance counting a swap of neighbours as one edit ("vaule" is one edit from "value"). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
