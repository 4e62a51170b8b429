package dev.dmreconciler.secrets;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Comparator;
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
    private volatile List<String> sorted = List.of();

    public static Redactor global() {
        return GLOBAL;
    }

    /** Registers a secret value (and its encodings). */
    public void add(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return;
        }
        boolean changed = false;
        for (String form : forms(value)) {
            if (form.strip().length() >= MIN_LENGTH) {
                changed |= needles.add(form);
            }
        }
        if (changed) {
            sorted = needles.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    /** Whether a text contains a registered secret. */
    public boolean contains(String text) {
        if (text == null) {
            return false;
        }
        for (String needle : sorted) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    public String redact(String text) {
        if (text == null || sorted.isEmpty()) {
            return text;
        }
        String out = text;
        for (String needle : sorted) {
            if (out.contains(needle)) {
                out = out.replace(needle, REDACTED);
            }
        }
        return out;
    }

    private static List<String> forms(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        String base64 = Base64.getEncoder().encodeToString(bytes);
        String decoded = decodedText(value.strip());
        String stripped = value.strip();
        return decoded == null ? List.of(value, stripped, base64) : List.of(value, stripped, base64, decoded);
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
