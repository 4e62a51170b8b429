package dev.dmreconciler.render;

import freemarker.core.Environment;
import freemarker.template.TemplateException;
import java.io.Writer;
import java.util.Optional;
import java.util.function.Function;

/**
 * A writer for a second, identical rendering that keeps no output but notes which template instruction writes the
 * character at a rendered line and column — so an error found in the rendered YAML is reported at the template
 * line that produced it. Rendering is deterministic, so the second pass writes exactly what the first did.
 */
final class OutputOrigin extends Writer {

    private final int targetLine;
    private final int targetColumn;
    private int line = 1;
    private int column = 1;
    private TemplateStack stack;
    private String chunk;
    private int index;

    /** @param targetLine 1-based rendered line; @param targetColumn 1-based column (past the end: the line's end) */
    OutputOrigin(int targetLine, int targetColumn) {
        this.targetLine = targetLine;
        this.targetColumn = Math.max(1, targetColumn);
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        if (stack != null) {
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            boolean newline = buffer[i] == '\n';
            if (line == targetLine && (column >= targetColumn || newline)) {
                Environment environment = Environment.getCurrentEnvironment();
                stack = TemplateStack.parse(new TemplateException("", environment).getFTLInstructionStack());
                chunk = new String(buffer, offset, length);
                index = i - offset;
                return;
            }
            if (newline) {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }

    /**
     * The template line that wrote the target character: an interpolation's own line, or for literal text the
     * line within the text block (checked against the template's source, since FreeMarker's white-space
     * stripping can move where a block begins).
     *
     * @param source a template's text by repository path
     */
    Optional<TemplateStack.Frame> origin(Function<String, Optional<String>> source) {
        if (stack == null || stack.frames().isEmpty()) {
            return Optional.empty();
        }
        TemplateStack.Frame top = stack.frames().get(0);
        if (top.instruction().startsWith("${")) {
            return Optional.of(top);
        }
        int newlines = (int) chunk.substring(0, index).chars().filter(c -> c == '\n').count();
        int start = chunk.lastIndexOf('\n', index - 1) + 1;
        int end = chunk.indexOf('\n', index);
        String segment = chunk.substring(start, end < 0 ? chunk.length() : end).strip();
        int candidate = top.line() + newlines;
        Optional<String[]> lines = source.apply(top.template()).map(text -> text.split("\n", -1));
        if (lines.isPresent() && !segment.isEmpty()) {
            String[] text = lines.get();
            for (int distance = 0; distance <= 3; distance++) {
                for (int line : new int[] {candidate + distance, candidate - distance}) {
                    if (line >= 1 && line <= text.length && text[line - 1].contains(segment)) {
                        return Optional.of(new TemplateStack.Frame(top.template(), line, 1, top.instruction()));
                    }
                }
            }
        }
        return Optional.of(new TemplateStack.Frame(top.template(), candidate, 1, top.instruction()));
    }

    @Override
    public void flush() {
        // nothing is kept
    }

    @Override
    public void close() {
        // nothing is kept
    }
}
