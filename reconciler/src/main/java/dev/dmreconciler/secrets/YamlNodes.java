package dev.dmreconciler.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Small builders and readers of snakeyaml nodes for the sops format. */
final class YamlNodes {

    private YamlNodes() {
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && node.getTag().equals(Tag.NULL));
    }

    static Map<String, Node> entries(Node node) {
        Map<String, Node> entries = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    entries.put(key.getValue(), tuple.getValueNode());
                }
            }
        }
        return entries;
    }

    static ScalarNode str(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    static ScalarNode quoted(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }

    static ScalarNode literal(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.LITERAL);
    }

    static SequenceNode emptyList() {
        return new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.FLOW);
    }

    static SequenceNode sequence(List<Node> items) {
        return new SequenceNode(Tag.SEQ, new ArrayList<>(items), DumperOptions.FlowStyle.BLOCK);
    }

    static MappingNode mapping(List<NodeTuple> tuples) {
        return new MappingNode(Tag.MAP, new ArrayList<>(tuples), DumperOptions.FlowStyle.BLOCK);
    }
}
