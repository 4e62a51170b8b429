package dev.dmreconciler.controller;

import dev.dmreconciler.secrets.Redactor;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Structured one-line logs: {@code 2026-11-21T06:30:00Z INFO reconciled env=example revision=3f2a1c0 …}, so
 * that a log pipeline can filter by environment, namespace and object. Values are quoted when they contain
 * spaces. Nothing secret is passed here (URLs are redacted by the git source); every line still passes the
 * {@link Redactor}, the last line of defence.
 */
public final class Log {

    private final PrintStream out;

    public Log(PrintStream out) {
        this.out = out;
    }

    public void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write("WARN", message, keyValues);
    }

    private void write(String level, String message, Object... keyValues) {
        StringBuilder line = new StringBuilder().append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append(' ')
                .append(level).append(' ').append(message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            // redacted before it is folded onto one line and its quotes changed: the redactor knows the value as it is
            String value = Redactor.global().redact(String.valueOf(keyValues[i + 1])).replace('\n', ' ');
            line.append(' ').append(keyValues[i]).append('=')
                    .append(value.contains(" ") || value.isEmpty() ? '"' + value.replace("\"", "'") + '"' : value);
        }
        synchronized (out) {
            out.println(Redactor.global().redact(line.toString()));
        }
    }
}
