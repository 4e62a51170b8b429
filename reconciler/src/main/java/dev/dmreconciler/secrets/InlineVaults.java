package dev.dmreconciler.secrets;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** A YAML text with its {@code !vault |} values opened (for {@code secret decrypt}); every value registered as secret. */
public final class InlineVaults {

    private static final Tag VAULT = new Tag("!vault");

    private InlineVaults() {
    }

    /**
     * @param allSecret every scalar of the text is secret (the plaintext of a whole vault file)
     */
    public static String open(String file, String text, boolean allSecret) {
        Node root;
        try {
            root = Sops.yaml().compose(new StringReader(text));
        } catch (RuntimeException e) {
            return text; // not YAML (a vault of arbitrary text): shown as it is
        }
        if (root == null) {
            return text;
        }
        boolean[] changed = {false};
        Node opened = walk(file, root, allSecret, changed);
        if (!changed[0]) {
            return text;
        }
        StringWriter out = new StringWriter();
        Sops.yaml().serialize(opened, out);
        return out.toString();
    }

    private static Node walk(String file, Node node, boolean allSecret, boolean[] changed) {
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            for (int i = 0; i < tuples.size(); i++) {
                Node value = walk(file, tuples.get(i).getValueNode(), allSecret, changed);
                if (value != tuples.get(i).getValueNode()) {
                    tuples.set(i, new NodeTuple(tuples.get(i).getKeyNode(), value));
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().replaceAll(item -> walk(file, item, allSecret, changed));
        } else if (node instanceof ScalarNode scalar) {
            if (scalar.getTag().equals(VAULT)) {
                String where = file + ":" + (scalar.getStartMark().getLine() + 1);
                String plain = new String(AnsibleVault.decrypt(scalar.getValue(), SecretKeys.installed().vaultPassword(where), where),
                        StandardCharsets.UTF_8);
                Redactor.global().add(plain);
                changed[0] = true;
                return new ScalarNode(Tag.STR, plain, scalar.getStartMark(), scalar.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
            }
            if (allSecret) {
                Redactor.global().add(scalar.getValue());
            }
        }
        return node;
    }
}
