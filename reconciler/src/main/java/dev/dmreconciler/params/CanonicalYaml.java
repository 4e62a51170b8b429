package dev.dmreconciler.params;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A document as plain comparable data (mappings as ordered entries, scalars as tag and text), so that
 * "the same document but for one value" can be checked with {@code equals}.
 */
final class CanonicalYaml {

    private record Scalar(String tag, String text) {
    }

    private record Entry(Object key, Object value) {
    }

    private record Mapping(List<Entry> entries) {
    }

    private CanonicalYaml() {
    }

    static Scalar string(String text) {
        return new Scalar(Tag.STR.getValue(), text);
    }

    /** Null for an empty document; aliases are expanded (they were checked not to contain themselves). */
    static Object of(Node node) {
        if (node == null) {
            return null;
        }
        if (node instanceof MappingNode mapping) {
            List<Entry> entries = new ArrayList<>();
            mapping.getValue().forEach(t -> entries.add(new Entry(of(t.getKeyNode()), of(t.getValueNode()))));
            return new Mapping(entries);
        }
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().stream().map(CanonicalYaml::of).toList();
        }
        ScalarNode scalar = (ScalarNode) node;
        return new Scalar(scalar.getTag().getValue(), scalar.getValue());
    }

    /** The document with {@code path} set to {@code value}: a new key goes last, missing mappings are created. */
    static Object withValue(Object tree, List<String> path, Scalar value) {
        if (path.isEmpty()) {
            return value;
        }
        List<Entry> entries = tree instanceof Mapping mapping ? new ArrayList<>(mapping.entries()) : new ArrayList<>();
        List<String> rest = path.subList(1, path.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.key() instanceof Scalar key && key.text().equals(path.get(0))) {
                entries.set(i, new Entry(key, withValue(entry.value(), rest, value)));
                return new Mapping(entries);
            }
        }
        entries.add(new Entry(string(path.get(0)), withValue(null, rest, value)));
        return new Mapping(entries);
    }
}
