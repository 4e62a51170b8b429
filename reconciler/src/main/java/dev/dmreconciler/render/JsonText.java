package dev.dmreconciler.render;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text of plain values (see {@link PlainValues}): compact, pretty, or canonical (keys sorted, numbers
 * without trailing zeros — the input of content hashes). Every string literal is also a valid YAML
 * double-quoted scalar: control and other non-printable characters are escaped as {@code \\uXXXX}.
 */
final class JsonText {

    private JsonText() {
    }

    static String compact(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, -1, 0, false);
        return out.toString();
    }

    /** Two-space indented JSON; lines after the first get {@code indent} more spaces. */
    static String pretty(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(value, out, 2, indent, false);
        return out.toString();
    }

    static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, -1, 0, true);
        return out.toString();
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        quote(text, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, int step, int margin, boolean canonical) {
        if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof BigDecimal d) {
            out.append(canonical ? d.stripTrailingZeros().toPlainString() : d.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            Map<?, ?> entries = canonical ? new TreeMap<>(map) : map;
            if (entries.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(out, step, margin + step);
                quote(String.valueOf(entry.getKey()), out);
                out.append(step < 0 ? ":" : ": ");
                write(entry.getValue(), out, step, margin + step, canonical);
            }
            newline(out, step, margin);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                newline(out, step, margin + step);
                write(list.get(i), out, step, margin + step, canonical);
            }
            newline(out, step, margin);
            out.append(']');
        } else {
            out.append("null");
        }
    }

    private static void newline(StringBuilder out, int step, int margin) {
        if (step >= 0) {
            out.append('\n').append(" ".repeat(margin));
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\ufeff'
                            || c == '\ufffe' || c == '\uffff') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
