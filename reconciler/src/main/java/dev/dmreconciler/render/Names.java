package dev.dmreconciler.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** DNS-1123 names, label values and content hashes for the template helpers. */
final class Names {

    static final int MIN_TRUNCATED = 10;
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

    private Names() {
    }

    /**
     * A DNS-1123 label of at most {@code max} characters: lower case, every run of characters other than
     * {@code a-z0-9} becomes one {@code -}, no {@code -} at either end. A longer name is cut and ends in
     * {@code -} and 8 hex digits of the whole name's hash, so two long names that share a prefix stay distinct.
     */
    static String dnsName(String name, int max) {
        if (max < MIN_TRUNCATED || max > 63) {
            throw new IllegalArgumentException("the maximum length " + max + " is not between " + MIN_TRUNCATED
                    + " and 63");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (valid || out.isEmpty() || out.charAt(out.length() - 1) != '-') {
                out.append(valid ? c : '-'); // a run of other characters becomes one "-"
            }
        }
        String label = trimDashes(out.toString());
        if (label.isEmpty()) {
            throw new IllegalArgumentException("\"" + name + "\" has no letter or digit to make a DNS name of");
        }
        if (label.length() <= max) {
            return label;
        }
        String suffix = "-" + sha256(name).substring(0, 8);
        return trimDashes(label.substring(0, max - suffix.length())) + suffix;
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    /** The standard {@code app.kubernetes.io/*} labels of one instance of an application. */
    static Map<String, String> labels(String application, String instance, String manager) {
        checkLabelValue("application", application);
        checkLabelValue("instance", instance);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", application);
        labels.put("app.kubernetes.io/instance", instance);
        labels.put("app.kubernetes.io/managed-by", manager);
        labels.put("app.kubernetes.io/part-of", application);
        return labels;
    }

    private static void checkLabelValue(String what, String value) {
        if (value.isEmpty() || !LABEL_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " name \"" + value + "\" is not a valid label value"
                    + " (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit;"
                    + " dmr.dnsName makes one)");
        }
    }

    /** The first 16 hex digits of the sha-256 of the values' canonical JSON. */
    static String contentHash(Object value) {
        return sha256(JsonText.canonical(value)).substring(0, 16);
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
