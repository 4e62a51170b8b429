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
     * A serialiser does not print a value verbatim: YAML writes a multi-line value as a literal block (one line per
     * line), JSON and Go escape quotes, backslashes, tabs and line breaks, YAML double quotes escape control
     * characters its way and YAML single quotes double the quote. Each of those forms is redacted (review S11-F1).
     */
    @Test
    void redactsTheFormsSerialisersPrintAValueIn() {
        Redactor redactor = new Redactor();
        redactor.add("line-one-secret-4\nline-two-secret-4");
        redactor.add("tab\tsecret-3");
        redactor.add("#it's-secret-8");
        redactor.add("back\\slash\"secret-5");
        redactor.add("bell\u0007secret-9");
        String yaml = String.join("\n", "value: |-", "  line-one-secret-4", "  line-two-secret-4", "tab: \"tab\\tsecret-3\"",
                "sq: '#it''s-secret-8'", "dq: \"back\\\\slash\\\"secret-5\"", "bell: \"bell\\x07secret-9\"");
        assertEquals(String.join("\n", "value: |-", "  <redacted>", "  <redacted>", "tab: \"<redacted>\"", "sq: '<redacted>'",
                "dq: \"<redacted>\"", "bell: \"<redacted>\""), redactor.redact(yaml));
        String json = "{\"a\": \"line-one-secret-4\\nline-two-secret-4\", \"b\": \"tab\\tsecret-3\", "
                + "\"c\": \"back\\\\slash\\\"secret-5\", \"d\": \"bell\\u0007secret-9\"}";
        assertEquals("{\"a\": \"<redacted>\", \"b\": \"<redacted>\", \"c\": \"<redacted>\", \"d\": \"<redacted>\"}",
                redactor.redact(json));
        assertFalse(redactor.contains("line-one-secret"), "a line is hidden whole, not every prefix of it");
    }

    @Test
    void linesOfAMultiLineValueShorterThanTheMinimumAreNotRegisteredAlone() {
        Redactor redactor = new Redactor();
        redactor.add("[db]\npassword=s3cret-value\n}\n");
        assertEquals("[db] <redacted> }", redactor.redact("[db] password=s3cret-value }"));
    }
}
