package dev.dmreconciler.secrets;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A writer that passes every line through the {@link Redactor} before it reaches the underlying writer. Lines are
 * buffered until their newline (or a flush), so a secret is never split across two writes.
 */
public final class RedactingWriter extends Writer {

    private final Writer out;
    private final StringBuilder line = new StringBuilder();

    public RedactingWriter(Writer out) {
        this.out = out;
    }

    /** A print stream (System.out / System.err) that redacts each line. */
    public static PrintStream stream(PrintStream target) {
        Writer writer = new RedactingWriter(new java.io.OutputStreamWriter(target, StandardCharsets.UTF_8));
        return new PrintStream(new OutputStream() {
            private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                pending.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                pending.write(b, off, len);
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        flush();
                        return;
                    }
                }
            }

            @Override
            public synchronized void flush() throws IOException {
                writer.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                writer.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(char[] buffer, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            line.append(buffer[i]);
            if (buffer[i] == '\n') {
                out.write(Redactor.global().redact(line.toString()));
                line.setLength(0);
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.length() > 0) {
            out.write(Redactor.global().redact(line.toString()));
            line.setLength(0);
        }
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        out.close();
    }
}
