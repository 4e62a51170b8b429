package dev.dmreconciler.resource;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes an object body as block YAML, byte for byte what {@link Manifests}' SnakeYAML dumper (block style, indent 2,
 * sequences not indented under their key, no line splitting, multi-line strings as literal blocks) writes for it,
 * about ten times cheaper: a cold {@code render} of 906 objects spent a third of its Java time in SnakeYAML's
 * representer, serializer and emitter (events, scalar analysis objects, a state machine per node).
 *
 * <p>It covers what rendered manifests hold: string-keyed maps, lists, strings of printable ASCII, integers,
 * doubles, booleans and null. Anything else makes {@link #write} answer false and leave the output as it was, and
 * the caller dumps that document with SnakeYAML: strings needing double quotes (tabs, control or non-ASCII
 * characters, a space before a line break), literal blocks SnakeYAML would mark with an indentation or keep
 * indicator, empty or very long keys, other value types, and a map or list that occurs twice in one document (SnakeYAML
 * writes an anchor and an alias). The scalar rules are SnakeYAML's own ({@code Emitter.analyzeScalar} and
 * {@code chooseScalarStyle}, ported for ASCII text; the implicit-type check is SnakeYAML's {@link Resolver} with go-yaml's
 * extra forms, {@link KubeYamlResolver}), and
 * {@code BlockYamlTest} compares both writers on the golden outputs and on generated documents.
 */
final class BlockYaml {

    /** SnakeYAML writes a key longer than this (with its 5-character "!!str" tag, under 128) as "? key". */
    private static final int MAX_SIMPLE_KEY = 100;
    private static final Resolver RESOLVER = new KubeYamlResolver();
    /** First characters for which SnakeYAML's resolver has an implicit type (other than the empty string). */
    private static final String RESOLVED_FIRST = "yYnNtTfFoO-+0123456789.<~!&*";

    private final StringBuilder out;
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();

    private BlockYaml(StringBuilder out) {
        this.out = out;
    }

    /**
     * Appends the document to {@code out} and answers true, or answers false with {@code out} unchanged when the
     * body holds something this writer does not cover (then SnakeYAML must write it).
     */
    static boolean write(Map<?, ?> body, StringBuilder out) {
        int start = out.length();
        try {
            if (body.isEmpty()) {
                out.append("{}\n");
            } else {
                new BlockYaml(out).mapping(body, 0, false);
            }
            return true;
        } catch (Unsupported e) {
            out.setLength(start);
            return false;
        }
    }

    private void mapping(Map<?, ?> map, int indent, boolean inline) {
        enter(map);
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(first && inline)) {
                spaces(indent);
            }
            first = false;
            key(entry.getKey());
            out.append(':');
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> child && !child.isEmpty()) {
                out.append('\n');
                mapping(child, indent + 2, false);
            } else if (value instanceof List<?> items && !items.isEmpty()) {
                out.append('\n');
                sequence(items, indent, false); // under a key, a list is not indented
            } else {
                out.append(' ');
                leaf(value, indent + 2);
            }
        }
    }

    private void sequence(List<?> list, int indent, boolean inline) {
        enter(list);
        boolean first = true;
        for (Object item : list) {
            if (!(first && inline)) {
                spaces(indent);
            }
            first = false;
            out.append("- ");
            if (item instanceof Map<?, ?> child && !child.isEmpty()) {
                mapping(child, indent + 2, true);
            } else if (item instanceof List<?> items && !items.isEmpty()) {
                sequence(items, indent + 2, true);
            } else {
                leaf(item, indent + 2);
            }
        }
    }

    /** A scalar or an empty collection after "key: " or "- ", with its line break. */
    private void leaf(Object value, int blockIndent) {
        if (value instanceof String text) {
            string(text, blockIndent);
        } else if (value instanceof Map<?, ?> map) {
            enter(map);
            out.append("{}");
        } else if (value instanceof List<?> list) {
            enter(list);
            out.append("[]");
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean flag) {
            out.append(flag ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte) {
            out.append(value); // always an implicit int in plain style
        } else if (value instanceof Double number && !number.isNaN() && !number.isInfinite()) {
            String text = number.toString();
            if (resolve(text) != Tag.FLOAT) {
                throw Unsupported.INSTANCE; // SnakeYAML would tag it !!float
            }
            out.append(text);
        } else {
            throw Unsupported.INSTANCE;
        }
        out.append('\n');
    }

    private void key(Object key) {
        if (!(key instanceof String text) || text.isEmpty() || text.length() > MAX_SIMPLE_KEY) {
            throw Unsupported.INSTANCE;
        }
        int analysis = analyze(text);
        if ((analysis & MULTILINE) != 0) {
            throw Unsupported.INSTANCE;
        }
        plainOrSingleQuoted(text, analysis);
    }

    /** SnakeYAML's choice for a string value: plain, a literal block (multi-line), single quotes, else double quotes. */
    private void string(String text, int blockIndent) {
        if (text.isEmpty()) {
            out.append("''"); // the empty plain scalar reads as null
            return;
        }
        int analysis = analyze(text);
        if ((analysis & MULTILINE) != 0) {
            if ((analysis & BLOCK) == 0) {
                throw Unsupported.INSTANCE; // double quotes
            }
            literal(text, blockIndent);
            return;
        }
        plainOrSingleQuoted(text, analysis);
    }

    /** A one-line scalar: plain when SnakeYAML's analysis allows it and it reads back as a string, else single quotes. */
    private void plainOrSingleQuoted(String text, int analysis) {
        if ((analysis & BLOCK_PLAIN) != 0 && resolve(text) == Tag.STR) {
            out.append(text);
        } else if ((analysis & SINGLE_QUOTED) != 0) {
            singleQuoted(text);
        } else {
            throw Unsupported.INSTANCE; // double quotes
        }
    }

    /** "|" or "|-", then each line at the block's indent; empty lines stay empty. The line break after it is added by the caller. */
    private void literal(String text, int indent) {
        char first = text.charAt(0);
        int end = text.length();
        boolean keepsBreak = text.charAt(end - 1) == '\n';
        if (first == ' ' || first == '\n' || (keepsBreak && (end == 1 || text.charAt(end - 2) == '\n'))) {
            throw Unsupported.INSTANCE; // an indentation indicator or "|+" (which can also end the document with "...")
        }
        out.append(keepsBreak ? "|\n" : "|-\n");
        int content = keepsBreak ? end - 1 : end;
        int lineStart = 0;
        while (true) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0 || lineEnd > content) {
                lineEnd = content;
            }
            if (lineEnd > lineStart) {
                spaces(indent);
                out.append(text, lineStart, lineEnd);
            }
            if (lineEnd >= content) {
                return; // the caller writes the last line break
            }
            out.append('\n');
            lineStart = lineEnd + 1;
        }
    }

    private void singleQuoted(String text) {
        out.append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c);
            if (c == '\'') {
                out.append('\'');
            }
        }
        out.append('\'');
    }

    private void spaces(int count) {
        for (int i = 0; i < count; i++) {
            out.append(' ');
        }
    }

    /** SnakeYAML anchors a collection that occurs twice in a document. */
    private void enter(Object collection) {
        if (seen.put(collection, Boolean.TRUE) != null) {
            throw Unsupported.INSTANCE;
        }
    }

    /** The type a plain scalar of this text would be read as (SnakeYAML's implicit resolvers and go-yaml's extra ones). */
    private static Tag resolve(String text) {
        if (!text.isEmpty() && RESOLVED_FIRST.indexOf(text.charAt(0)) < 0) {
            return Tag.STR; // no resolver starts with this character; the empty-string resolver needs ""
        }
        return RESOLVER.resolve(NodeId.scalar, text, true);
    }

    private static final int MULTILINE = 1;
    private static final int BLOCK_PLAIN = 2;
    private static final int SINGLE_QUOTED = 4;
    private static final int BLOCK = 8;

    /**
     * SnakeYAML 2's {@code Emitter.analyzeScalar} for a non-empty string of printable ASCII and line feeds (anything
     * else: {@link Unsupported}); the flags of the styles it allows in block context.
     */
    private static int analyze(String scalar) {
        int length = scalar.length();
        boolean blockIndicators = scalar.startsWith("---") || scalar.startsWith("...");
        boolean lineBreaks = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean precededByWhitespace = true;
        boolean followedByWhitespace = length == 1 || whitespaceOrBreak(scalar.charAt(1));
        boolean previousSpace = false;
        boolean previousBreak = false;
        for (int index = 0; index < length; index++) {
            char c = scalar.charAt(index);
            if (c != '\n' && (c < 0x20 || c > 0x7E)) {
                throw Unsupported.INSTANCE; // tabs, control and non-ASCII characters
            }
            if (index == 0) {
                if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                    blockIndicators = true;
                }
                if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) {
                    blockIndicators = true;
                }
            } else if ((c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace)) {
                blockIndicators = true;
            }
            boolean isBreak = c == '\n';
            lineBreaks |= isBreak;
            if (c == ' ') {
                leadingSpace |= index == 0;
                trailingSpace |= index == length - 1;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak) {
                leadingBreak |= index == 0;
                trailingBreak |= index == length - 1;
                spaceBreak |= previousSpace;
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = c == ' ' || isBreak;
            // whether the next character is followed by whitespace (as SnakeYAML computes it, quirks kept)
            followedByWhitespace = true;
            int next = index + 1;
            if (next + 1 < length) {
                char after = scalar.charAt(next + 1);
                followedByWhitespace = after == ' ' || isBreak; // SnakeYAML's NULL_BL_T here: no line breaks
            }
        }
        boolean blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || leadingZeroNumber(scalar)
                || breakSpace || spaceBreak || blockIndicators);
        boolean singleQuoted = !(breakSpace || spaceBreak);
        boolean block = !(trailingSpace || spaceBreak);
        return (lineBreaks ? MULTILINE : 0) | (blockPlain ? BLOCK_PLAIN : 0) | (singleQuoted ? SINGLE_QUOTED : 0)
                | (block ? BLOCK : 0);
    }

    /** SnakeYAML's NULL_BL_T_LINEBR for the characters {@link #analyze} admits (NUL and tab are never admitted). */
    private static boolean whitespaceOrBreak(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\0';
    }

    /** "0[0-9_]+": SnakeYAML quotes it (YAML 1.1 would read an octal number). */
    private static boolean leadingZeroNumber(String scalar) {
        if (scalar.length() < 2 || scalar.charAt(0) != '0') {
            return false;
        }
        for (int i = 1; i < scalar.length(); i++) {
            char c = scalar.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** This document is SnakeYAML's to write. */
    private static final class Unsupported extends RuntimeException {
        static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super(null, null, false, false);
        }
    }
}
