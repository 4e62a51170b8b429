package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dmreconciler.controller.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every line the process prints (CLI writers, System.out/err, the structured log) passes the redactor. */
class RedactingWriterTest {

    private static final String SECRET = "writer-secret-value-2f9c";

    @Test
    void aSecretWrittenInPiecesIsStillRedacted() {
        Redactor.global().add(SECRET);
        StringWriter target = new StringWriter();
        PrintWriter out = new PrintWriter(new RedactingWriter(target), true);
        out.print("token=writer-secr");
        out.print("et-value-2f9c end");
        out.println();
        assertEquals("token=<redacted> end" + System.lineSeparator(), target.toString());
    }

    @Test
    void linesWrittenInOneChunkAreRedactedEachAndAPartialLineWaitsForItsEnd() throws Exception {
        for (boolean withSecret : new boolean[] {false, true}) {
            Redactor redactor = new Redactor();
            if (withSecret) {
                redactor.add(SECRET);
            }
            StringWriter target = new StringWriter();
            RedactingWriter writer = new RedactingWriter(target, redactor);
            writer.write("a " + SECRET + "\n\nb\nc " + SECRET.substring(0, 8));
            String shown = withSecret ? "<redacted>" : SECRET;
            assertEquals("a " + shown + "\n\nb\n", target.toString(), "only complete lines are written");
            writer.write(SECRET.substring(8) + " d\ne");
            assertEquals("a " + shown + "\n\nb\nc " + shown + " d\n", target.toString());
            writer.flush();
            assertEquals("a " + shown + "\n\nb\nc " + shown + " d\ne", target.toString());
        }
    }

    @Test
    void logLinesAndStreamsAreRedacted() {
        Redactor.global().add(SECRET);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stream = RedactingWriter.stream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        new Log(stream).warn("reconcile failed", "env", "dev", "error", "bad value " + SECRET);
        stream.println("plain " + SECRET);
        stream.flush();
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains(SECRET), printed);
        assertFalse(printed.contains("writer-secret"), printed);
    }
}
