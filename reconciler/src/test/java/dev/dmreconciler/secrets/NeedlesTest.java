package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-pass matcher against the needle-by-needle search it replaces, on random texts over a small alphabet (so
 * needles overlap, nest, repeat and are prefixes and suffixes of each other), with chars outside ASCII (the edges
 * that are not in the root's table).
 */
class NeedlesTest {

    /** Of chars outside the alphabet: a needle cannot be found in the marker that replaced another. */
    private static final String MARK = "<#>";
    private static final char[] ALPHABET = {'a', 'b', 'c', '\n', '"', '\u00e9', '\u20ac', '\ud83d', '\ude00'};

    @Test
    void findsExactlyWhatTheNaiveSearchFinds() {
        Random random = new Random(20261122);
        for (int round = 0; round < 3000; round++) {
            List<String> needles = needles(random);
            Needles matcher = Needles.of(needles);
            for (int t = 0; t < 10; t++) {
                String text = text(random, random.nextInt(60));
                boolean naive = needles.stream().anyMatch(text::contains);
                assertEquals(naive, matcher.foundIn(text), () -> describe(needles, text));
                assertEquals(unionReplaced(text, needles), matcher.replaceIn(text, MARK), () -> describe(needles, text));
            }
        }
    }

    /**
     * Where no two occurrences overlap partly (each pair is apart, touching or nested), the result is exactly the
     * old redactor's: needles replaced one by one, longest first. Where they do overlap partly, nothing of any
     * needle is left (the old way left the tail of the one replaced second).
     */
    @Test
    void matchesTheLongestFirstReplacingItReplacesAndLeavesNoNeedleBehind() {
        Random random = new Random(7);
        int compared = 0;
        for (int round = 0; round < 3000; round++) {
            List<String> needles = needles(random);
            Needles matcher = Needles.of(needles);
            for (int t = 0; t < 10; t++) {
                String text = text(random, random.nextInt(60));
                String replaced = matcher.replaceIn(text, MARK);
                for (String needle : needles) {
                    assertFalse(replaced.contains(needle), () -> describe(needles, text) + " -> " + replaced);
                }
                if (!partlyOverlapping(text, needles)) {
                    compared++;
                    assertEquals(longestFirst(text, needles), replaced, () -> describe(needles, text));
                }
            }
        }
        assertTrue(compared > 10000, "enough texts without partial overlaps: " + compared);
    }

    @Test
    void prefixesSuffixesAndNestedNeedles() {
        Needles matcher = Needles.of(List.of("secret", "secret-2", "cret-2x", "t-2", "password"));
        assertEquals("a <#> b", matcher.replaceIn("a secret-2x b", MARK), "overlapping: one marker");
        assertEquals("<#><#>", matcher.replaceIn("secretsecret", MARK), "touching: two markers");
        assertEquals("<#><#>!", matcher.replaceIn("passwordsecret-2x!", MARK), "touching, then overlapping");
        assertEquals("x <#> y", matcher.replaceIn("x secret-2 y", MARK), "the longer needle wins");
        assertEquals("secre", matcher.replaceIn("secre", MARK));
        String clean = "nothing here at all, but long enough";
        assertSame(clean, matcher.replaceIn(clean, MARK), "no copy when nothing is found");
        assertFalse(matcher.foundIn("t-"));
        assertTrue(matcher.foundIn("at-2"));
        assertEquals("aaa<#>", Needles.of(List.of("aaab")).replaceIn("aaaaaab", MARK), "found after a failed start");
    }

    @Test
    void noNeedlesFindNothing() {
        Needles none = Needles.of(List.of("", ""));
        assertTrue(none.isEmpty());
        assertFalse(none.foundIn("anything"));
        assertSame(Needles.NONE, Needles.of(List.of()));
        assertEquals("anything", none.replaceIn("anything", MARK));
    }

    private static List<String> needles(Random random) {
        Set<String> needles = new LinkedHashSet<>();
        int count = 1 + random.nextInt(8);
        while (needles.size() < count) {
            String needle = text(random, 1 + random.nextInt(6));
            needles.add(needle);
            if (random.nextInt(3) == 0) { // a prefix or a suffix of a needle as a needle of its own
                int cut = 1 + random.nextInt(needle.length());
                needles.add(random.nextBoolean() ? needle.substring(0, cut) : needle.substring(needle.length() - cut));
            }
        }
        return new ArrayList<>(needles);
    }

    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET[random.nextInt(random.nextBoolean() ? 3 : ALPHABET.length)]);
        }
        return text.toString();
    }

    /** Every occurrence of every needle, found with indexOf from each position. */
    private static List<int[]> occurrences(String text, List<String> needles) {
        List<int[]> found = new ArrayList<>();
        for (String needle : needles) {
            for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
                found.add(new int[] {at, at + needle.length()});
            }
        }
        return found;
    }

    /** The naive reference: mark each occurrence, join those that overlap (not those that only touch), replace. */
    private static String unionReplaced(String text, List<String> needles) {
        List<int[]> found = occurrences(text, needles);
        found.sort(Comparator.comparingInt((int[] o) -> o[0]));
        StringBuilder out = new StringBuilder();
        int at = 0;
        int i = 0;
        while (i < found.size()) {
            int start = found.get(i)[0];
            int end = found.get(i)[1];
            for (i++; i < found.size() && found.get(i)[0] < end; i++) {
                end = Math.max(end, found.get(i)[1]);
            }
            out.append(text, at, start).append(MARK);
            at = end;
        }
        return out.append(text.substring(at)).toString();
    }

    private static boolean partlyOverlapping(String text, List<String> needles) {
        List<int[]> found = occurrences(text, needles);
        for (int[] a : found) {
            for (int[] b : found) {
                boolean overlap = a[0] < b[1] && b[0] < a[1];
                boolean nested = a[0] <= b[0] && b[1] <= a[1] || b[0] <= a[0] && a[1] <= b[1];
                if (overlap && !nested) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The redactor before the matcher: each needle, longest first, replaced wherever it is. */
    private static String longestFirst(String text, List<String> needles) {
        String out = text;
        for (String needle : needles.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(needle, MARK);
        }
        return out;
    }

    private static String describe(List<String> needles, String text) {
        return "needles " + needles.stream().map(NeedlesTest::escaped).toList() + " text " + escaped(text);
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.append('"').toString();
    }
}
