package dev.dmreconciler.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The secret values ONE environment read (its vault and sops values, {@code secret: true} variables, allowlisted env
 * lookups, sops manifests), for decisions that must depend on that environment alone: whether one of its objects
 * holds a secret (then it is hashed with the cluster's key and its places are recorded, {@code resource.Stamp}).
 *
 * <p>Why not the process-wide {@link Redactor}: in {@code run} (and any pass over several environments) it holds
 * every environment's secrets, so "does this object hold a secret" answered across tenants (an oracle: put guesses
 * into your own ConfigMap and watch the mark) and changed with what else the process had read (the hash flipped
 * between {@code apply --env X} and {@code run}: a write every time). The redactor stays the last line of defence
 * for output only.
 *
 * <p>Values shorter than {@value Redactor#MIN_LENGTH} characters are left out, as the redactor leaves them out.
 * Immutable; equal when the values are.
 */
public final class SecretValues {

    /** An environment without secrets: every decision is the plain one, at no cost. */
    public static final SecretValues NONE = new SecretValues(new TreeSet<>());

    private final Set<String> values;
    /** Each value as it may appear in an object's string: itself, stripped, base64, decoded, as serialisers quote it. */
    private final List<String> needles;
    /** The needles as {@code Stamp}'s canonical text writes a string's characters ({@code \} and {@code "} escaped). */
    private final List<String> canonicalNeedles;
    /** Both lists as matchers (one pass over a text however many values), made on first use: immutable once made. */
    private volatile Needles needleMatcher;
    private volatile Needles canonicalMatcher;

    private SecretValues(Set<String> values) {
        this.values = java.util.Collections.unmodifiableSet(values);
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            for (String form : Redactor.forms(value)) {
                if (form.strip().length() >= Redactor.MIN_LENGTH) {
                    forms.add(form);
                }
            }
        }
        this.needles = List.copyOf(forms);
        List<String> canonical = new ArrayList<>(forms.size());
        forms.forEach(form -> canonical.add(canonicalQuoted(form)));
        this.canonicalNeedles = List.copyOf(canonical);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public int size() {
        return values.size();
    }

    /** These values and those of another set (an environment's parameters and its sops manifests). */
    public SecretValues plus(SecretValues other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Set<String> both = new TreeSet<>(values);
        both.addAll(other.values);
        return new SecretValues(both);
    }

    /** Whether a string (a value or a key of an object) holds one of the values, in any of its printed forms. */
    public boolean heldBy(String text) {
        if (text == null || text.length() < Redactor.MIN_LENGTH || needles.isEmpty()) {
            return false;
        }
        Needles matcher = needleMatcher;
        if (matcher == null) {
            needleMatcher = matcher = Needles.of(needles); // two threads may both make it: the same result
        }
        return matcher.foundIn(text);
    }

    /**
     * Whether a canonical text (strings quoted with {@code \} and {@code "} escaped, nothing else) may hold one of
     * the values: a quick test of a whole object before its strings are looked at one by one. Never false when a
     * string of the object holds one (escaping is per character); may be true across two strings, which the walk
     * then answers.
     */
    public boolean mayBeIn(String canonicalText) {
        if (canonicalNeedles.isEmpty()) {
            return false;
        }
        Needles matcher = canonicalMatcher;
        if (matcher == null) {
            canonicalMatcher = matcher = Needles.of(canonicalNeedles);
        }
        return matcher.foundIn(canonicalText);
    }

    private static String canonicalQuoted(String text) {
        if (text.indexOf('\\') < 0 && text.indexOf('"') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof SecretValues that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Never the values. */
    @Override
    public String toString() {
        return "SecretValues[" + values.size() + " values]";
    }

    /** Gathers one environment's values while it is read (thread-safe; order does not matter). */
    public static final class Collector {

        private final Set<String> values = new ConcurrentSkipListSet<>();

        /** A value, or the strings of a list or map value (as the redactor registers them). */
        public void add(Object value) {
            if (value instanceof Map<?, ?> map) {
                map.values().forEach(this::add);
            } else if (value instanceof Collection<?> list) {
                list.forEach(this::add);
            } else if (value != null) {
                String text = String.valueOf(value);
                if (text.strip().length() >= Redactor.MIN_LENGTH) {
                    values.add(text);
                }
            }
        }

        public SecretValues build() {
            return values.isEmpty() ? NONE : new SecretValues(new TreeSet<>(values));
        }
    }
}
