package dev.dmreconciler.params;

import java.io.StringReader;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Changes values in a parameter file's text so that the result is a minimal diff, ready for a pull request.
 *
 * <p>Loading the file and dumping it again would lose comments, blank lines, key order details and quoting,
 * so this edits the text itself: the YAML node tree is only used to find <em>where</em> a value is written
 * (snakeyaml's {@link Mark}s), and exactly that span is replaced, or new lines are inserted. Every other
 * byte stays as it was, including line endings.
 *
 * <p>Every edit is checked by parsing the result again: the document must read exactly as before except for
 * the one value, which must read back as the given <em>string</em> under YAML 1.1 (as snakeyaml and Ansible
 * read it; {@code 19.20} or {@code yes} written plain would not). What cannot be edited safely (block
 * scalars, anchors and aliases, explicit tags, duplicate keys) is refused with an
 * {@link IllegalArgumentException} naming the file and the path, rather than guessed.
 */
public final class ParamFileEditor {

    private static final String LINE_BREAKS = "\n\r\u0085\u2028\u2029"; // all of them are line breaks in YAML 1.1

    private ParamFileEditor() {
    }

    /**
     * Returns {@code content} with the scalar at {@code path} (mapping keys from the top) set to {@code newValue},
     * inserting the key, and any missing mappings above it, when it is not there yet.
     *
     * @throws IllegalArgumentException when the file is not valid YAML, has duplicate keys, a key on the path is
     *     not a mapping, the target is not a single value, or the value contains a line break
     */
    public static String set(String fileName, String content, List<String> path, String newValue) {
        checkArguments(fileName, content, path, newValue);
        Node before = parse(fileName, content, path);
        checkStructure(fileName, path, before);
        String result = new Edit(fileName, content, path, newValue).apply(before);
        verify(fileName, path, newValue, before, result);
        return result;
    }

    /** Applies {@link #set} for each change in the map's order, each on the result of the one before. */
    public static String setAll(String fileName, String content, Map<List<String>, String> changes) {
        String result = content;
        for (Map.Entry<List<String>, String> change : changes.entrySet()) {
            result = set(fileName, result, change.getKey(), change.getValue());
        }
        return result;
    }

    /** Only single-line values and keys can be written on one line without changing the file's layout. */
    private static void checkArguments(String fileName, String content, List<String> path, String newValue) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(newValue, "newValue");
        if (path.isEmpty()) {
            throw new IllegalArgumentException(fileName + ": cannot set a value without a path");
        }
        for (String key : path) {
            if (key == null || key.isEmpty() || hasLineBreak(key)) {
                throw problem(fileName, path, "every key must be a non-empty single line");
            }
        }
        if (hasLineBreak(newValue)) {
            throw problem(fileName, path, "the value contains a line break; only single-line values can be written");
        }
    }

    private static boolean hasLineBreak(String text) {
        return text.chars().anyMatch(c -> LINE_BREAKS.indexOf(c) >= 0);
    }

    /** The node tree as {@link YamlFile} reads it (null for an empty file); syntax errors name file and line. */
    private static Node parse(String fileName, String content, List<String> path) {
        try {
            return compose(content);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            throw problem(mark == null ? fileName : fileName + ":" + (mark.getLine() + 1), path,
                    "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw problem(fileName, path, "not valid YAML: " + e.getMessage());
        }
    }

    private static Node compose(String content) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(content));
    }

    /**
     * Refuses duplicate keys anywhere (which of them counts is up to the reader, so editing one is a guess)
     * and aliases that contain themselves (the comparison in {@link #verify} could not finish).
     */
    private static void checkStructure(String fileName, List<String> path, Node root) {
        checkStructure(fileName, path, root, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void checkStructure(String fileName, List<String> path, Node node, Set<Node> open) {
        if (node == null || node instanceof ScalarNode) {
            return;
        }
        if (!open.add(node)) {
            throw problem(where(fileName, node), path, "the file has an alias that contains itself");
        }
        if (node instanceof MappingNode mapping) {
            Map<String, ScalarNode> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    ScalarNode first = seen.putIfAbsent(key.getValue(), key);
                    if (first != null) {
                        throw problem(where(fileName, key), path, "duplicate key '" + key.getValue()
                                + "' (first on line " + (first.getStartMark().getLine() + 1) + "); fix the file first");
                    }
                }
                checkStructure(fileName, path, tuple.getKeyNode(), open);
                checkStructure(fileName, path, tuple.getValueNode(), open);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> checkStructure(fileName, path, item, open));
        }
        open.remove(node);
    }

    /**
     * Proves the edit: the result must parse to the same document with only {@code path} set to the string
     * {@code newValue}. This catches layouts the text surgery does not foresee, instead of writing a file
     * that means something else.
     */
    private static void verify(String fileName, List<String> path, String newValue, Node before, String result) {
        Node after;
        try {
            after = compose(result);
        } catch (YAMLException e) {
            throw problem(fileName, path, "the edited file would not be valid YAML; edit it by hand");
        }
        checkStructure(fileName, path, after);
        Object expected = CanonicalYaml.withValue(CanonicalYaml.of(before), path, CanonicalYaml.string(newValue));
        if (!expected.equals(CanonicalYaml.of(after))) {
            throw problem(fileName, path, "the edit would change more than this value; edit the file by hand");
        }
    }

    private static String where(String fileName, Node node) {
        return fileName + ":" + (node.getStartMark().getLine() + 1);
    }

    private static IllegalArgumentException problem(String where, List<String> path, String reason) {
        return new IllegalArgumentException(where + ": cannot set " + String.join(".", path) + ": " + reason);
    }

    /** One edit of one file's text: finds the place for the value and splices new text in. */
    private static final class Edit {

        private final String fileName;
        private final String text;
        private final List<String> path;
        private final String value;
        private final String newline;
        private final boolean hasSurrogates;

        Edit(String fileName, String text, List<String> path, String value) {
            this.fileName = fileName;
            this.text = text;
            this.path = path;
            this.value = value;
            this.newline = text.contains("\r\n") ? "\r\n" : "\n";
            this.hasSurrogates = text.chars().anyMatch(c -> Character.isSurrogate((char) c));
        }

        /** Walks the path: replaces the value when it is there, otherwise adds what is missing below the last mapping found. */
        String apply(Node root) {
            Node current = root;
            ScalarNode ownerKey = null; // the key whose value is current; null for the document itself
            boolean inFlow = false;     // whether current is written inside a flow collection ({...})
            for (int i = 0; i < path.size(); i++) {
                List<String> rest = path.subList(i, path.size());
                if (isEmpty(current)) {
                    return fillEmpty(current, ownerKey, inFlow, rest);
                }
                String here = i == 0 ? "the document" : String.join(".", path.subList(0, i));
                rejectShared(current, here);
                if (!(current instanceof MappingNode mapping)) {
                    throw fail(current, here + " is " + YamlFile.describe(current) + ", not a mapping");
                }
                NodeTuple entry = find(mapping, path.get(i));
                if (entry == null) {
                    return addEntry(mapping, rest);
                }
                inFlow = mapping.getFlowStyle() == FlowStyle.FLOW;
                ownerKey = (ScalarNode) entry.getKeyNode();
                current = entry.getValueNode();
            }
            return replace(current, inFlow);
        }

        /** An empty file, or a key with nothing after it ({@code values:}): the place to create a mapping. */
        private static boolean isEmpty(Node node) {
            return node == null || (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)
                    && scalar.getAnchor() == null
                    && scalar.getStartMark().getIndex() == scalar.getEndMark().getIndex());
        }

        /** An anchored node is also the value of its aliases: changing it would change them too. */
        private void rejectShared(Node node, String what) {
            if (node.getAnchor() != null) {
                throw fail(node, what + " is anchored (&" + node.getAnchor() + ") or an alias of it; changing it"
                        + " would change every alias too; edit the file by hand");
            }
        }

        private static NodeTuple find(MappingNode mapping, String key) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return tuple;
                }
            }
            return null;
        }

        /** Replaces exactly the text of the old scalar, keeping its quote style when it had one. */
        private String replace(Node target, boolean inFlow) {
            String what = String.join(".", path);
            rejectShared(target, what);
            if (!(target instanceof ScalarNode scalar)) {
                throw fail(target, what + " is " + YamlFile.describe(target) + ", not a single value");
            }
            if (scalar.getScalarStyle() == ScalarStyle.LITERAL || scalar.getScalarStyle() == ScalarStyle.FOLDED) {
                throw fail(target, what + " is a block scalar (| or >); edit the file by hand");
            }
            int start = offset(scalar.getStartMark());
            int end = offset(scalar.getEndMark());
            if (text.startsWith("!", start)) {
                throw fail(target, what + " has an explicit tag; edit the file by hand");
            }
            if (start == end) { // "key:" with nothing after the colon
                return splice(start, end, " " + YamlQuoting.value(value, ScalarStyle.PLAIN, inFlow));
            }
            return splice(start, end, YamlQuoting.value(value, scalar.getScalarStyle(), inFlow));
        }

        /** Adds the missing key (and mappings) as the mapping's last entry, in the mapping's own style. */
        private String addEntry(MappingNode mapping, List<String> rest) {
            if (mapping.getFlowStyle() == FlowStyle.FLOW) {
                return addFlowEntry(mapping, rest);
            }
            int indent = indentOf(mapping.getValue().get(0).getKeyNode());
            return insertLines(afterLine(contentEnd(mapping, 0)), blockEntry(rest, indent));
        }

        /** {@code {a: 1}} becomes {@code {a: 1, key: value}}, and {@code {}} becomes {@code {key: value}}. */
        private String addFlowEntry(MappingNode mapping, List<String> rest) {
            int close = offset(mapping.getEndMark()) - 1;
            if (close < 0 || text.charAt(close) != '}') {
                throw fail(mapping, "cannot find the closing '}' of the mapping; edit the file by hand");
            }
            int last = close - 1;
            while (Character.isWhitespace(text.charAt(last))) {
                last--;
            }
            char before = text.charAt(last);
            String separator = before == '{' ? "" : before == ',' ? " " : ", ";
            return splice(last + 1, last + 1, separator + flowEntry(rest));
        }

        /** Turns "nothing" into a mapping: the whole document, {@code key:} in block style, or {@code key:} in a flow mapping. */
        private String fillEmpty(Node empty, ScalarNode ownerKey, boolean inFlow, List<String> rest) {
            if (ownerKey == null) {
                return insertLines(text.length(), blockEntry(rest, 0));
            }
            int at = offset(empty.getStartMark());
            if (inFlow) {
                return splice(at, at, " {" + flowEntry(rest) + "}");
            }
            return insertLines(afterLine(at), blockEntry(rest, indentOf(ownerKey) + 2));
        }

        /** Lines {@code key:} for each missing mapping, each 2 deeper, ending with {@code key: value}. */
        private String blockEntry(List<String> keys, int indent) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                lines.append(" ".repeat(indent + 2 * i)).append(YamlQuoting.key(keys.get(i), false)).append(':');
                if (i == keys.size() - 1) {
                    lines.append(' ').append(YamlQuoting.value(value, ScalarStyle.PLAIN, false));
                }
                lines.append(newline);
            }
            return lines.toString();
        }

        /** {@code key: value}, or {@code key: {key2: value}} for missing mappings. */
        private String flowEntry(List<String> keys) {
            String key = YamlQuoting.key(keys.get(0), true);
            if (keys.size() == 1) {
                return key + ": " + YamlQuoting.value(value, ScalarStyle.PLAIN, true);
            }
            return key + ": {" + flowEntry(keys.subList(1, keys.size())) + "}";
        }

        /**
         * Where the text of a node ends. A block collection's own end mark lies after the comments and blank
         * lines that follow it (they belong to what comes next), so this descends to its last entry instead.
         * A node that starts before {@code writtenAfter} is an alias (its marks are those of the anchored node),
         * so it is measured where the alias is written.
         */
        private int contentEnd(Node node, int writtenAfter) {
            if (offset(node.getStartMark()) < writtenAfter) {
                return aliasEnd(writtenAfter);
            }
            if (isBlock(node) && node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
                NodeTuple last = mapping.getValue().get(mapping.getValue().size() - 1);
                return contentEnd(last.getValueNode(), offset(last.getKeyNode().getEndMark()));
            }
            if (isBlock(node) && node instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
                int end = offset(sequence.getStartMark());
                for (Node item : sequence.getValue()) {
                    end = contentEnd(item, end);
                }
                return end;
            }
            int end = offset(node.getEndMark());
            if (node instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.LITERAL
                    || scalar.getScalarStyle() == ScalarStyle.FOLDED)) {
                int start = offset(scalar.getStartMark()); // a block scalar's end mark is after its trailing blank lines
                while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                    end--;
                }
            }
            return end;
        }

        private static boolean isBlock(Node node) {
            return node instanceof CollectionNode<?> collection && collection.getFlowStyle() != FlowStyle.FLOW;
        }

        /** The end of the {@code *name} written after {@code from}. */
        private int aliasEnd(int from) {
            int star = text.indexOf('*', from);
            if (star < 0) {
                return from;
            }
            int end = star + 1;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                    && ",[]{}".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            return end;
        }

        /** Columns before the key on its line (spaces, or "- " of a list item), as a number of spaces. */
        private int indentOf(Node key) {
            int start = offset(key.getStartMark());
            return start - (text.lastIndexOf('\n', start - 1) + 1);
        }

        /** The start of the line after the one containing {@code index}, keeping that line's trailing comment. */
        private int afterLine(int index) {
            int lineEnd = text.indexOf('\n', index);
            return lineEnd < 0 ? text.length() : lineEnd + 1;
        }

        /** Inserts whole lines; at the end of a file without a final line break, the file keeps having none. */
        private String insertLines(int at, String lines) {
            if (at == text.length() && !text.isEmpty() && !text.endsWith("\n")) {
                return text + newline + lines.substring(0, lines.length() - newline.length());
            }
            return splice(at, at, lines);
        }

        private String splice(int start, int end, String replacement) {
            return text.substring(0, start) + replacement + text.substring(end);
        }

        /** Marks count code points; Java strings count UTF-16 chars (they differ after an emoji, for one). */
        private int offset(Mark mark) {
            return hasSurrogates ? text.offsetByCodePoints(0, mark.getIndex()) : mark.getIndex();
        }

        private IllegalArgumentException fail(Node node, String reason) {
            return problem(where(fileName, node), path, reason);
        }
    }
}
