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
    private final Redactor redactor;
    private final StringBuilder line = new StringBuilder();

    public RedactingWriter(Writer out) {
        this(out, Redactor.global());
    }

    RedactingWriter(Writer out, Redactor redactor) {
        this.out = out;
        this.redactor = redactor;
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
        int end = offset + length;
        int lastBreak = end - 1;
        while (lastBreak >= offset && buffer[lastBreak] != '\n') {
            lastBreak--;
        }
        if (lastBreak < offset) {
            line.append(buffer, offset, length); // no line ends here
            return;
        }
        if (redactor.isEmpty()) {
            // nothing to redact: the complete lines go out in one write (a render prints ~30,000 lines), same text
            line.append(buffer, offset, lastBreak + 1 - offset);
            out.write(line.toString());
            line.setLength(0);
        } else {
            int start = offset;
            for (int i = offset; i <= lastBreak; i++) {
                if (buffer[i] == '\n') {
                    line.append(buffer, start, i + 1 - start);
                    out.write(redactor.redact(line.toString()));
                    line.setLength(0);
                    start = i + 1;
                }
            }
        }
        line.append(buffer, lastBreak + 1, end - lastBreak - 1);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.length() > 0) {
            out.write(redactor.redact(line.toString()));
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
