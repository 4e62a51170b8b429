package dev.dmreconciler.params;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Suggests the closest known name for a misspelt one. */
final class DidYouMean {

    private DidYouMean() {
    }

    static String hint(String name, Collection<String> known) {
        return closest(name, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** A small edit distance first; failing that, a long shared ending ("…_node_selector_key"). */
    static Optional<String> closest(String name, Collection<String> known) {
        int limit = Math.max(2, name.length() / 4);
        Optional<String> edited = known.stream()
                .filter(k -> distance(name, k) <= limit)
                .min(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k));
        if (edited.isPresent()) {
            return edited;
        }
        return known.stream()
                .filter(k -> commonSuffix(name, k) >= Math.max(10, name.length() / 2))
                .max(Comparator.comparingInt((String k) -> commonSuffix(name, k)).thenComparing(k -> k));
    }

    private static int commonSuffix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(a.length() - 1 - n) == b.charAt(b.length() - 1 - n)) {
            n++;
        }
        return n;
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
