package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void redactsTheValueItsBase64AndTheTextABase64ValueEncodes() {
        Redactor redactor = new Redactor();
        redactor.add(Fixtures.PULL_SECRET);
        redactor.add("ghp_abcdef123456");
        String dockerconfig = new String(Base64.getDecoder().decode(Fixtures.PULL_SECRET), StandardCharsets.UTF_8);
        String b64 = Base64.getEncoder().encodeToString("ghp_abcdef123456".getBytes(StandardCharsets.UTF_8));
        String text = "a " + Fixtures.PULL_SECRET + " b " + dockerconfig + " c ghp_abcdef123456 d " + b64;
        String redacted = redactor.redact(text);
        assertEquals("a <redacted> b <redacted> c <redacted> d <redacted>", redacted);
        assertTrue(redactor.contains(text));
        assertFalse(redactor.contains(redacted));
    }

    @Test
    void tooShortValuesAreNotRegistered() {
        Redactor redactor = new Redactor();
        redactor.add("yes");
        redactor.add(null);
        assertTrue(redactor.isEmpty());
        assertEquals("yes", redactor.redact("yes"));
    }

    /**
     * A serialiser does not print a value verbatim: JSON and Go escape quotes, backslashes, tabs and line breaks, YAML
     * double quotes escape control characters its way and YAML single quotes double the quote. Each of those forms
     * is redacted (review S11-F1). A multi-line value YAML prints as a literal block is hidden before printing.
     */
    @Test
    void redactsTheFormsSerialisersPrintAValueIn() {
        Redactor redactor = new Redactor();
        redactor.add("line-one-secret-4\nline-two-secret-4");
        redactor.add("tab\tsecret-3");
        redactor.add("#it's-secret-8");
        redactor.add("back\\slash\"secret-5");
        redactor.add("bell\u0007secret-9");
        String yaml = String.join("\n", "tab: \"tab\\tsecret-3\"", "sq: '#it''s-secret-8'",
                "dq: \"back\\\\slash\\\"secret-5\"", "bell: \"bell\\x07secret-9\"");
        assertEquals(String.join("\n", "tab: \"<redacted>\"", "sq: '<redacted>'", "dq: \"<redacted>\"",
                "bell: \"<redacted>\""), redactor.redact(yaml));
        String json = "{\"a\": \"line-one-secret-4\\nline-two-secret-4\", \"b\": \"tab\\tsecret-3\", "
                + "\"c\": \"back\\\\slash\\\"secret-5\", \"d\": \"bell\\u0007secret-9\"}";
        assertEquals("{\"a\": \"<redacted>\", \"b\": \"<redacted>\", \"c\": \"<redacted>\", \"d\": \"<redacted>\"}",
                redactor.redact(json));
    }

    /**
     * A multi-line secret that is itself YAML (a vaulted kubeconfig) holds lines every manifest has: they must not
     * become needles of their own, or every printed {@code apiVersion: v1} is cut out (review S11-F15). Its lines
     * are known only to {@link Redactor#holdsSecretLine}, for messages that quote one rendered line.
     */
    @Test
    void theLinesOfAMultiLineValueAreNotRedactedEverywhere() {
        Redactor redactor = new Redactor();
        redactor.add("apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user: {token: kc-token-123456}\n}\n");
        assertEquals("apiVersion: v1\nkind: ConfigMap\n", redactor.redact("apiVersion: v1\nkind: ConfigMap\n"));
        assertTrue(redactor.holdsSecretLine("  user: {token: kc-token-123456}"));
        assertTrue(redactor.holdsSecretLine("apiVersion: v1"), "a rendered line equal to one of the value's: not quoted");
        assertFalse(redactor.holdsSecretLine("}"), "lines under the minimum length are not registered");
        assertFalse(redactor.holdsSecretLine("kind: Service"));
    }
}
