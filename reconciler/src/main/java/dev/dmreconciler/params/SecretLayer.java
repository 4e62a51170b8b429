package dev.dmreconciler.params;

import dev.dmreconciler.secrets.AnsibleVault;
import dev.dmreconciler.secrets.Redactor;
import dev.dmreconciler.secrets.SecretException;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.secrets.Sops;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Where parameter files are read, secret sources are opened, so every place that reads a parameter, shared or
 * vars file understands them: a whole file encrypted with {@code ansible-vault encrypt}, inline {@code !vault |}
 * values, and sops files. Every value that came out of one is remembered as a secret node (for {@link Param#secret()})
 * and registered with the {@link Redactor}. A missing key or a bad file is an {@link InvalidInputException} naming
 * file and line, never a value, which fails the environment before anything is written.
 */
final class SecretLayer {

    static final Tag VAULT = new Tag("!vault");

    private SecretLayer() {
    }

    static boolean isVaultFile(byte[] content) {
        return AnsibleVault.isVault(new String(content, StandardCharsets.UTF_8));
    }

    /** The text of a file, decrypted when the whole file is an Ansible Vault. */
    static String openFile(String file, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (!AnsibleVault.isVault(text)) {
            return text;
        }
        try {
            return new String(AnsibleVault.decrypt(text, SecretKeys.installed().vaultPassword(file), file), StandardCharsets.UTF_8);
        } catch (SecretException e) {
            throw InvalidInputException.of(file, null, e.reason());
        }
    }

    /** Decrypts inline vault values and sops documents in place; returns the (possibly new) root. */
    static Node open(String file, Node root, boolean wholeFileSecret, Set<Node> secretNodes) {
        if (root == null) {
            return null;
        }
        if (wholeFileSecret) {
            markAll(root, secretNodes);
            return root;
        }
        if (Sops.isEncrypted(root)) {
            try {
                Sops.Decrypted decrypted = Sops.decrypt(List.of(root), SecretKeys.installed(), file);
                secretNodes.addAll(decrypted.secretNodes());
                return decrypted.documents().get(0);
            } catch (SecretException e) {
                throw InvalidInputException.of(file, null, e.reason());
            }
        }
        return inline(file, null, root, secretNodes);
    }

    /** @param key the key of the value (named in errors), or null */
    private static Node inline(String file, String key, Node node, Set<Node> secretNodes) {
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            for (int i = 0; i < tuples.size(); i++) {
                String name = tuples.get(i).getKeyNode() instanceof ScalarNode k ? k.getValue() : key;
                Node value = inline(file, name, tuples.get(i).getValueNode(), secretNodes);
                if (value != tuples.get(i).getValueNode()) {
                    tuples.set(i, new NodeTuple(tuples.get(i).getKeyNode(), value));
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().replaceAll(item -> inline(file, key, item, secretNodes));
        } else if (node instanceof ScalarNode scalar && scalar.getTag().equals(VAULT)) {
            String where = file + ":" + (scalar.getStartMark().getLine() + 1);
            try {
                String plain = new String(AnsibleVault.decrypt(scalar.getValue(), SecretKeys.installed().vaultPassword(where), where),
                        StandardCharsets.UTF_8);
                Redactor.global().add(plain);
                ScalarNode opened = new ScalarNode(Tag.STR, plain, scalar.getStartMark(), scalar.getEndMark(),
                        DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                secretNodes.add(opened);
                return opened;
            } catch (SecretException e) {
                throw InvalidInputException.of(where, key, e.reason());
            }
        }
        return node;
    }

    private static void markAll(Node node, Set<Node> secretNodes) {
        secretNodes.add(node);
        if (node instanceof MappingNode mapping) {
            mapping.getValue().forEach(t -> markAll(t.getValueNode(), secretNodes));
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> markAll(item, secretNodes));
        } else if (node instanceof ScalarNode scalar) {
            Redactor.global().add(scalar.getValue());
        }
    }

    /** Whether a node is, or contains, a value from a secret source. */
    static boolean isSecret(Node node, Set<Node> secretNodes) {
        if (secretNodes.isEmpty() || node == null) {
            return false;
        }
        if (secretNodes.contains(node)) {
            return true;
        }
        if (node instanceof MappingNode mapping) {
            return mapping.getValue().stream().anyMatch(t -> isSecret(t.getValueNode(), secretNodes));
        }
        return node instanceof SequenceNode sequence && sequence.getValue().stream().anyMatch(i -> isSecret(i, secretNodes));
    }
}
