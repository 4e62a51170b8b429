package dev.dmreconciler.secrets;

import java.util.Arrays;
import java.util.Collection;

/**
 * A fixed set of strings found in one pass over a text (Aho–Corasick over UTF-16 chars): the cost of a search is
 * the length of the text, not the text times the number of needles. The redactor asks this for every string of every
 * printed object and every output line, with ten or more forms of each secret value (as it is, stripped, base64,
 * quoted three ways), so scanning needle by needle cost a render of 3,000 objects with 20 secret values ≈ 11 % CPU
 * (review S11-F15 addendum).
 *
 * <p>{@link #replaceIn} hides the union of every occurrence of every needle: occurrences that overlap (a value and
 * its stripped form, or two values sharing characters) become one marker, occurrences that only touch stay two
 * markers. Needle-by-needle replacing (longest first) did the same for nested occurrences, and left the rest of a
 * partly overlapping one in the text; this leaves nothing of either.
 *
 * <p>Immutable and thread-safe once built; built from the needles in time proportional to their total length.
 */
final class Needles {

    static final Needles NONE = new Needles(new String[0]);

    private static final long EMPTY = -1L;

    /** Shortest needle: a text shorter than this holds none (the common case: names, labels, ports). */
    private final int minLength;
    /** Edges from the root for ASCII chars (0 = none): the state the search is in for most of a text. */
    private final int[] rootAscii = new int[128];
    /** Every other edge: open addressing, key {@code node << 16 | char}, value the child (children are never 0). */
    private final long[] edgeKeys;
    private final int[] edgeTargets;
    /** Per node: where the search continues when no edge fits (the longest proper suffix that is a node). */
    private final int[] fail;
    /** Per node: the length of the longest needle its text ends with, 0 when none. */
    private final int[] longest;

    private Needles(String[] needles) {
        int total = 1;
        int min = Integer.MAX_VALUE;
        for (String needle : needles) {
            total += needle.length();
            min = Math.min(min, needle.length());
        }
        minLength = needles.length == 0 ? Integer.MAX_VALUE : min;
        int capacity = Integer.highestOneBit(Math.max(16, total * 2 - 1)) << 1;
        edgeKeys = new long[capacity];
        Arrays.fill(edgeKeys, EMPTY);
        edgeTargets = new int[capacity];
        int[] parent = new int[total];
        char[] via = new char[total];
        int[] depth = new int[total];
        boolean[] ends = new boolean[total];
        int nodes = 1;
        for (String needle : needles) {
            int node = 0;
            for (int i = 0; i < needle.length(); i++) {
                char c = needle.charAt(i);
                int child = edge(node, c);
                if (child == 0) {
                    child = nodes++;
                    parent[child] = node;
                    via[child] = c;
                    depth[child] = depth[node] + 1;
                    addEdge(node, c, child);
                }
                node = child;
            }
            ends[node] = true;
        }
        fail = new int[nodes];
        longest = new int[nodes];
        // shallower nodes first: a node's failure target and that target's longest needle are then known
        for (int node : byDepth(depth, nodes)) {
            if (node == 0) {
                continue;
            }
            int target = 0;
            if (depth[node] > 1) {
                int f = fail[parent[node]];
                char c = via[node];
                while (f != 0 && edge(f, c) == 0) {
                    f = fail[f];
                }
                target = edge(f, c);
            }
            fail[node] = target;
            longest[node] = ends[node] ? depth[node] : longest[target];
        }
    }

    /** The needles, empty ones left out (an empty needle would be found everywhere). */
    static Needles of(Collection<String> needles) {
        String[] kept = needles.stream().filter(needle -> needle != null && !needle.isEmpty()).distinct()
                .toArray(String[]::new);
        return kept.length == 0 ? NONE : new Needles(kept);
    }

    boolean isEmpty() {
        return minLength == Integer.MAX_VALUE;
    }

    /** Whether the text holds one of the needles. */
    boolean foundIn(String text) {
        if (text == null || text.length() < minLength) {
            return false;
        }
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            state = step(state, text.charAt(i));
            if (longest[state] > 0) {
                return true;
            }
        }
        return false;
    }

    /** The text with each run of overlapping occurrences replaced by the marker; the same instance when none. */
    String replaceIn(String text, String marker) {
        if (text == null || text.length() < minLength) {
            return text;
        }
        int[] starts = null;
        int[] ends = null;
        int runs = 0;
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            state = step(state, text.charAt(i));
            int length = longest[state]; // the shorter needles ending here lie inside this one
            if (length > 0) {
                int start = i + 1 - length;
                if (starts == null) {
                    starts = new int[4];
                    ends = new int[4];
                }
                while (runs > 0 && ends[runs - 1] > start) { // overlaps earlier runs: one run
                    start = Math.min(start, starts[runs - 1]);
                    runs--;
                }
                if (runs == starts.length) {
                    starts = Arrays.copyOf(starts, runs * 2);
                    ends = Arrays.copyOf(ends, runs * 2);
                }
                starts[runs] = start;
                ends[runs] = i + 1;
                runs++;
            }
        }
        if (runs == 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (int r = 0; r < runs; r++) {
            out.append(text, at, starts[r]).append(marker);
            at = ends[r];
        }
        return out.append(text, at, text.length()).toString();
    }

    private int step(int state, char c) {
        while (true) {
            int next = state == 0 && c < 128 ? rootAscii[c] : edge(state, c);
            if (next != 0 || state == 0) {
                return next;
            }
            state = fail[state];
        }
    }

    private int edge(int node, char c) {
        if (node == 0 && c < 128) {
            return rootAscii[c];
        }
        long key = (long) node << 16 | c;
        int mask = edgeKeys.length - 1;
        for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
            long found = edgeKeys[slot];
            if (found == key) {
                return edgeTargets[slot];
            }
            if (found == EMPTY) {
                return 0;
            }
        }
    }

    private void addEdge(int node, char c, int child) {
        if (node == 0 && c < 128) {
            rootAscii[c] = child;
            return;
        }
        long key = (long) node << 16 | c;
        int mask = edgeKeys.length - 1;
        int slot = slot(key, mask);
        while (edgeKeys[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        edgeKeys[slot] = key;
        edgeTargets[slot] = child;
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    /** The node numbers ordered by depth (a counting sort). */
    private static int[] byDepth(int[] depth, int nodes) {
        int deepest = 0;
        for (int i = 0; i < nodes; i++) {
            deepest = Math.max(deepest, depth[i]);
        }
        int[] firstOfDepth = new int[deepest + 2];
        for (int i = 0; i < nodes; i++) {
            firstOfDepth[depth[i] + 1]++;
        }
        for (int d = 1; d < firstOfDepth.length; d++) {
            firstOfDepth[d] += firstOfDepth[d - 1];
        }
        int[] order = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            order[firstOfDepth[depth[i]]++] = i;
        }
        return order;
    }
}
