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
}
