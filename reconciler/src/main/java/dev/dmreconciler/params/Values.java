package dev.dmreconciler.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns a YAML node into a variable value: Jinja env lookups first (at any depth), then the declared type.
 *
 * <p>Typing keeps text wherever text is declared: a {@code string} variable, and every element of a
 * {@code list}/{@code map} variable declared {@code of: string}, is the scalar exactly as written ({@code 0022},
 * {@code 3.10}, {@code yes} stay strings). Untyped ({@code any}, or list/map without {@code of}) values follow
 * YAML 1.1 as Ansible reads them, except that an integer written with a leading zero ({@code 0022}) stays the
 * string it was written as (YAML 1.1 would make it octal 18, a plain reader 22; neither is what a file mode or
 * a code like that means).
 */
final class Values {

    private static final Pattern LEADING_ZERO = Pattern.compile("[-+]?0[0-9_]+");
    /**
     * A float as PyYAML (Ansible) resolves it: a dot is required and an exponent needs its sign ({@code 1e3} and
     * {@code 1.0e3} are strings there, whatever newer resolvers say).
     */
    private static final Pattern PYYAML_FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

    private Values() {
    }

    static Object read(Node node, VarType type, Function<String, String> getenv) {
        return read(node, type, null, getenv);
    }

    /**
     * @param of element type of a list or map (null: untyped)
     * @throws IllegalArgumentException saying what is wrong with the value (and where inside it)
     */
    static Object read(Node node, VarType type, VarType of, Function<String, String> getenv) {
        if (type == VarType.ANY) {
            return typed(node, getenv);
        }
        if (type == VarType.LIST && node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            int index = 0;
            for (Node item : sequence.getValue()) {
                list.add(element(item, of, getenv, "[" + index++ + "]"));
            }
            return list;
        }
        if (type == VarType.MAP && node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = key(tuple.getKeyNode(), map);
                map.put(key, element(tuple.getValueNode(), of, getenv, "." + key));
            }
            return map;
        }
        if (node instanceof ScalarNode scalar && !YamlFile.isNull(node)) {
            return type.convert(text(scalar, getenv));
        }
        return type.convert(YamlFile.plain(node));
    }

    private static Object element(Node node, VarType of, Function<String, String> getenv, String path) {
        if (of == null) {
            return typed(node, getenv);
        }
        if (YamlFile.isNull(node)) {
            return null; // a null entry deletes the key when maps are merged
        }
        try {
            return read(node, of, null, getenv);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage());
        }
    }

    /** An untyped value: YAML 1.1 types (leading-zero integers excepted), Jinja evaluated in every string. */
    static Object typed(Node node, Function<String, String> getenv) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                map.put(key(tuple.getKeyNode(), map), typed(tuple.getValueNode(), getenv));
            }
            return map;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            sequence.getValue().forEach(item -> list.add(typed(item, getenv)));
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.getTag().equals(Tag.STR)) {
            return text(scalar, getenv);
        }
        if (scalar.getTag().equals(Tag.INT) && LEADING_ZERO.matcher(scalar.getValue()).matches()) {
            return scalar.getValue();
        }
        if (scalar.getTag().equals(Tag.FLOAT) && !PYYAML_FLOAT.matcher(scalar.getValue()).matches()) {
            return scalar.getValue();
        }
        return YamlFile.plain(node);
    }

    /**
     * A map key is its text as written ({@code on}, {@code 1}, {@code 0022} — never true, 1 or 22: keys name
     * things); two keys with one text ({@code 1} and {@code '1'}) are an error rather than one silently winning.
     */
    private static String key(Node node, Map<String, Object> earlier) {
        String key = node instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(YamlFile.plain(node));
        if (earlier.containsKey(key)) {
            throw new IllegalArgumentException("key '" + key + "' appears twice");
        }
        return key;
    }

    private static String text(ScalarNode scalar, Function<String, String> getenv) {
        String text = scalar.getValue();
        return Jinja.hasTemplate(text) ? Jinja.evaluate(text, getenv) : text;
    }

    /**
     * Deep merge of a higher layer over a lower one: maps merge key by key (recursively), anything else
     * replaces, and a key set to null in the higher layer is deleted.
     */
    @SuppressWarnings("unchecked")
    static Object merge(Object lower, Object higher) {
        if (lower instanceof Map<?, ?> low && higher instanceof Map<?, ?> high) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) low);
            ((Map<String, Object>) high).forEach((key, value) -> {
                if (value == null) {
                    merged.remove(key);
                } else {
                    merged.put(key, merge(merged.get(key), value));
                }
            });
            return merged;
        }
        return withoutNulls(higher);
    }

    /** A map with its null entries (deletions with nothing to delete) removed, at every depth. */
    @SuppressWarnings("unchecked")
    static Object withoutNulls(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> clean = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, v) -> {
                if (v != null) {
                    clean.put(key, withoutNulls(v));
                }
            });
            return clean;
        }
        return value;
    }
}
