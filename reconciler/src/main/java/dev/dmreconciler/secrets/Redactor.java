package dev.dmreconciler.secrets;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last line of defence: every secret value the process has read (from a vault, a sops file, an allowlisted
 * environment lookup, a {@code secret: true} variable, a copied Secret) is registered here, and every text that
 * leaves the process (stdout, stderr, logs, /status, Events, reports) passes {@link #redact}, which replaces the
 * value, its base64 and — when the value is itself base64 of text — the decoded text with {@code <redacted>}.
 * Values shorter than {@value #MIN_LENGTH} characters are not registered: replacing "yes" or "1" everywhere would
 * mangle every message while protecting nothing.
 */
public final class Redactor {

    public static final String REDACTED = "<redacted>";
    static final int MIN_LENGTH = 6;
    private static final Redactor GLOBAL = new Redactor();

    private final Set<String> needles = ConcurrentHashMap.newKeySet();
    private final Set<String> secretLines = ConcurrentHashMap.newKeySet();
    /**
     * All needles in one matcher, built on first use after values were added (values arrive one by one while
     * environments load; a rebuild for each would cost their total length each time) and null until then. Built and
     * invalidated under this object's lock, so a value added while a matcher is built is never left out of it.
     * Never made in a process without secrets (the class is not even loaded).
     */
    private volatile Needles matcher;

    public static Redactor global() {
        return GLOBAL;
    }

    /** Registers a secret value (and its encodings). */
    public void add(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return;
        }
        secretLines.addAll(lines(value));
        synchronized (this) {
            boolean changed = false;
            for (String form : forms(value)) {
                if (form.strip().length() >= MIN_LENGTH) {
                    changed |= needles.add(form);
                }
            }
            if (changed) {
                matcher = null;
            }
        }
    }

    private Needles matcher() {
        Needles current = matcher;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (matcher == null) {
                matcher = Needles.of(needles);
            }
            return matcher;
        }
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    /** Whether a text contains a registered secret. */
    public boolean contains(String text) {
        return text != null && !needles.isEmpty() && matcher().foundIn(text);
    }

    /**
     * The text with every registered value, in each of its forms, replaced by {@value #REDACTED} (overlapping
     * occurrences by one marker); the same instance when it holds none. One pass over the text whatever the number
     * of values ({@link Needles}).
     */
    public String redact(String text) {
        if (text == null || needles.isEmpty()) {
            return text;
        }
        return matcher().replaceIn(text, REDACTED);
    }

    /**
     * The value as it can appear in an output: as it is, stripped, base64, and the text it encodes when it is base64;
     * each of those also as serialisers print a string (JSON and Go escape quotes, backslashes and control
     * characters; YAML double quotes escape them its way; YAML single quotes double the quote). The lines of a
     * multi-line value are not needles of their own: a vaulted kubeconfig holds {@code apiVersion: v1}, which would
     * then be cut out of every manifest printed (printed objects are redacted whole-value before they are written,
     * {@code Manifests.redacted}); they are kept apart for {@link #holdsSecretLine}.
     */
    static List<String> forms(String value) {
        String stripped = value.strip();
        String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        String decoded = decodedText(stripped);
        Set<String> forms = new LinkedHashSet<>(List.of(base64));
        for (String text : decoded == null ? List.of(value, stripped) : List.of(value, stripped, decoded)) {
            forms.add(text);
            forms.addAll(quoted(text));
        }
        return List.copyOf(forms);
    }

    /** The lines (stripped, at least {@value #MIN_LENGTH} characters) of a multi-line value. */
    private static List<String> lines(String value) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return List.of();
        }
        return value.lines().map(String::strip).filter(line -> line.length() >= MIN_LENGTH).toList();
    }

    /**
     * Whether a single line of text holds a line of a registered multi-line value: for a message that quotes one
     * line of rendered text (a YAML error's line), which then leaves the text out. Not used by {@link #redact}.
     */
    public boolean holdsSecretLine(String text) {
        if (text == null) {
            return false;
        }
        for (String line : secretLines) {
            if (text.contains(line)) {
                return true;
            }
        }
        return contains(text);
    }

    /** The text as JSON (and Go's %q, alike for what matters here), YAML double-quoted and YAML single-quoted write it. */
    private static List<String> quoted(String text) {
        StringBuilder json = new StringBuilder(text.length() + 8);
        StringBuilder yaml = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"', '\\' -> {
                    json.append('\\').appendCodePoint(c);
                    yaml.append('\\').appendCodePoint(c);
                }
                case '\n' -> {
                    json.append("\\n");
                    yaml.append("\\n");
                }
                case '\t' -> {
                    json.append("\\t");
                    yaml.append("\\t");
                }
                case '\r' -> {
                    json.append("\\r");
                    yaml.append("\\r");
                }
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        json.append(String.format("\\u%04x", c));
                        yaml.append(String.format("\\x%02X", c));
                    } else {
                        json.appendCodePoint(c);
                        yaml.appendCodePoint(c);
                    }
                }
            }
        });
        return List.of(json.toString(), yaml.toString(), text.replace("'", "''"));
    }

    /** The text a base64 value encodes (dockerconfigjson, kubeconfig), or null when it is not base64 of text. */
    private static String decodedText(String value) {
        if (value.length() < 8 || value.length() % 4 != 0 || !value.matches("[A-Za-z0-9+/]+={0,2}")) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t') ? text : null;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
