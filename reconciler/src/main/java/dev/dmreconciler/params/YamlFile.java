package dev.dmreconciler.params;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A parameter or bundle file read as a YAML node tree, so every value keeps its line number and its raw
 * text (an unquoted {@code 19.20} stays "19.20" for a string variable instead of becoming the float 19.2).
 */
public final class YamlFile {

    private final String file;
    private final Node root;
    /** Nodes whose value came from a vault or sops file (identity set); see {@link SecretLayer}. */
    private final Set<Node> secretNodes;

    private YamlFile(String file, Node root, Set<Node> secretNodes) {
        this.file = file;
        this.root = root;
        this.secretNodes = secretNodes;
    }

    /** Parses one YAML document; syntax errors become an {@link InvalidInputException} naming file and line. */
    public static YamlFile parse(String file, byte[] content) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try {
            boolean wholeFileSecret = SecretLayer.isVaultFile(content);
            String text = SecretLayer.openFile(file, content);
            Set<Node> secretNodes = Collections.newSetFromMap(new IdentityHashMap<>());
            Node root = SecretLayer.open(file, yaml.compose(new StringReader(text)), wholeFileSecret, secretNodes);
            return new YamlFile(file, root, secretNodes);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw InvalidInputException.of(file + (line > 0 ? ":" + line : ""), null,
                    "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw InvalidInputException.of(file, null, "not valid YAML: " + e.getMessage());
        }
    }

    public String file() {
        return file;
    }

    /** The document's root node (null for an empty file). */
    public Node root() {
        return root;
    }

    /** The top-level mapping; an empty file is an empty mapping, anything else is an error. */
    public Map<String, Node> topLevel() {
        if (root == null) {
            return Map.of();
        }
        return mapping(root, "the file");
    }

    /** Whether a value node came from a vault or sops file (or holds such a value). */
    public boolean isSecret(Node node) {
        return SecretLayer.isSecret(node, secretNodes);
    }

    /** "file:line" of a node. */
    public String where(Node node) {
        return node == null ? file : file + ":" + (node.getStartMark().getLine() + 1);
    }

    /** Entries of a mapping node by key, refusing non-scalar and duplicate keys. */
    public Map<String, Node> mapping(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw InvalidInputException.of(where(node), what, "expected a mapping (key: value), got " + describe(node));
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw InvalidInputException.of(where(tuple.getKeyNode()), what, "keys must be plain strings");
            }
            if (entries.put(key.getValue(), tuple.getValueNode()) != null) {
                throw InvalidInputException.of(where(key), key.getValue(), "duplicate key");
            }
        }
        return entries;
    }

    public List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode sequence)) {
            throw InvalidInputException.of(where(node), what, "expected a list, got " + describe(node));
        }
        return sequence.getValue();
    }

    public String string(Node node, String what) {
        if (!(node instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
            throw InvalidInputException.of(where(node), what, "expected a string, got " + describe(node));
        }
        return scalar.getValue();
    }

    public static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && node.getTag().equals(Tag.NULL));
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing (null)";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    /** The value of a node as plain Java objects, with YAML 1.1 implicit types (as Ansible reads them). */
    public static Object plain(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                map.put(String.valueOf(plain(tuple.getKeyNode())), plain(tuple.getValueNode()));
            }
            return map;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            sequence.getValue().forEach(item -> list.add(plain(item)));
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return VarType.parseBoolean(text);
        }
        if (tag.equals(Tag.INT)) {
            try {
                return Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return Double.parseDouble(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }
}
