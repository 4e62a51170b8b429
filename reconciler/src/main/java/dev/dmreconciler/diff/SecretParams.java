package dev.dmreconciler.diff;

import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.params.Variable;
import dev.dmreconciler.params.YamlFile;
import dev.dmreconciler.resource.Manifests;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The parameter table of the offline diff never shows a secret: a value from a vault or sops file, or of a variable
 * declared {@code secret: true}, is compared as usual but shown as {@code <redacted>} / {@code <redacted (changed)>}.
 */
final class SecretParams {

    /** Prefix that marks a flattened value as secret until it is shown (never displayed itself). */
    private static final String MARK = "\u0000secret\u0000";

    private SecretParams() {
    }

    static Set<String> secretVariables(Collection<Bundle> bundles) {
        Set<String> names = new TreeSet<>();
        bundles.forEach(b -> b.variables().values().stream().filter(Variable::secret).forEach(v -> names.add(v.name())));
        return names;
    }

    /** Marks the flattened values (dotted paths, as {@code flatten} writes them) that are secret. */
    static void markSecrets(YamlFile yaml, MappingNode root, Set<String> secretVariables, Map<String, String> flat) {
        mark(yaml, "", root, false, secretVariables, flat);
    }

    private static void mark(YamlFile yaml, String prefix, Node node, boolean secret, Set<String> secretVariables,
                             Map<String, String> flat) {
        if (node instanceof MappingNode mapping) {
            // a mapping "is secret" when it holds one secret value: only its secret leaves are marked
            for (NodeTuple tuple : mapping.getValue()) {
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                mark(yaml, prefix.isEmpty() ? key : prefix + "." + key, tuple.getValueNode(),
                        secret || secretVariables.contains(key), secretVariables, flat);
            }
        } else if ((secret || (node != null && yaml.isSecret(node))) && flat.containsKey(prefix) && !flat.get(prefix).startsWith(MARK)) {
            flat.put(prefix, MARK + flat.get(prefix));
        }
    }

    /** The change as it may be shown. */
    static ParamChange shown(ParamChange change) {
        boolean before = change.before() != null && change.before().startsWith(MARK);
        boolean after = change.after() != null && change.after().startsWith(MARK);
        if (!before && !after) {
            return change;
        }
        return new ParamChange(change.file(), change.key(), change.before() == null ? null : Manifests.REDACTED,
                change.after() == null ? null : change.before() == null ? Manifests.REDACTED : Manifests.REDACTED_CHANGED);
    }
}
