package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.secrets.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A log line folds a value onto one line and turns its quotes: the redactor must see the value before that. */
class LogTest {

    @Test
    void aMultiLineOrQuotedSecretInAValueIsRedactedBeforeTheLineIsFolded() {
        String multi = "log-line-one-secret\nlog-line-two-secret";
        String quoted = "log-pa\"ss-secret";
        Redactor.global().add(multi);
        Redactor.global().add(quoted);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Log(new PrintStream(bytes, true, StandardCharsets.UTF_8)).warn("render failed", "env", "viz",
                "error", "environment viz: " + multi + " / " + quoted);
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(line.contains("log-line") || line.contains("log-pa"), line);
        assertTrue(line.contains("WARN render failed env=viz error=\"environment viz: <redacted> / <redacted>\""), line);
    }
}
