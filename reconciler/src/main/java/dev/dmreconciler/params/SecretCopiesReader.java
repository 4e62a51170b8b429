package dev.dmreconciler.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code secretCopies:} list (bundle.yaml, or an application of a native-form environment):
 * <pre>
 * secretCopies:
 *   - from: {namespace: aws-system, name: aws-credentials}   # the Secret to copy (must exist)
 *     name: aws-credentials                                  # the copies' name (default: the source's)
 *     scope: instance                                        # one copy in every instance's namespace, or:
 *     namespaces: [cellxgene, "${cxg_extra_namespace}"]      # these namespaces (scope environment)
 *     when: cxg_aws_source                                   # only while this variable is set
 * </pre>
 */
final class SecretCopiesReader {

    private static final Set<String> KEYS = Set.of("from", "name", "scope", "namespaces", "when");
    private static final Set<String> FROM_KEYS = Set.of("namespace", "name");

    private SecretCopiesReader() {
    }

    static List<SecretCopy> read(YamlFile yaml, Node node, String key, Problems problems) {
        List<SecretCopy> copies = new ArrayList<>();
        if (node == null || YamlFile.isNull(node)) {
            return copies;
        }
        for (Node item : yaml.sequence(node, key)) {
            if (!(item instanceof MappingNode)) {
                problems.error(yaml.where(item), key, "an entry needs 'from: {namespace, name}' and 'scope: instance' or 'namespaces: [...]'");
                continue;
            }
            Map<String, Node> entry = yaml.mapping(item, key);
            boolean ok = true;
            for (String k : entry.keySet()) {
                if (!KEYS.contains(k)) {
                    problems.error(yaml.where(entry.get(k)), key + "." + k, "unknown secret copy setting"
                            + DidYouMean.hint(k, KEYS) + "; known: " + new TreeSet<>(KEYS));
                    ok = false;
                }
            }
            String fromNamespace = null;
            String fromName = null;
            if (!(entry.get("from") instanceof MappingNode)) {
                problems.error(yaml.where(entry.getOrDefault("from", item)), key + ".from",
                        "the source Secret: from: {namespace: NS, name: NAME}");
                ok = false;
            } else {
                Map<String, Node> from = yaml.mapping(entry.get("from"), key + ".from");
                for (String k : from.keySet()) {
                    if (!FROM_KEYS.contains(k)) {
                        problems.error(yaml.where(from.get(k)), key + ".from." + k, "unknown setting; known: [name, namespace]");
                        ok = false;
                    }
                }
                fromNamespace = from.containsKey("namespace") ? yaml.string(from.get("namespace"), key + ".from.namespace") : null;
                fromName = from.containsKey("name") ? yaml.string(from.get("name"), key + ".from.name") : null;
                if (fromNamespace == null || fromNamespace.isBlank() || fromName == null || fromName.isBlank()) {
                    problems.error(yaml.where(entry.get("from")), key + ".from", "needs both namespace and name of the source Secret");
                    ok = false;
                }
            }
            String scope = entry.containsKey("scope") ? yaml.string(entry.get("scope"), key + ".scope") : null;
            boolean instanceScope = false;
            if (scope != null) {
                switch (scope.toLowerCase(Locale.ROOT)) {
                    case "instance", "namespace" -> instanceScope = true;
                    case "environment" -> instanceScope = false;
                    default -> {
                        problems.error(yaml.where(entry.get("scope")), key + ".scope",
                                "unknown scope '" + scope + "'; use 'instance' (every instance's namespace) or 'environment' (with namespaces:)");
                        ok = false;
                    }
                }
            }
            List<String> namespaces = new ArrayList<>();
            if (entry.containsKey("namespaces") && !YamlFile.isNull(entry.get("namespaces"))) {
                yaml.sequence(entry.get("namespaces"), key + ".namespaces")
                        .forEach(n -> namespaces.add(yaml.string(n, key + ".namespaces")));
            }
            if (instanceScope && !namespaces.isEmpty()) {
                problems.error(yaml.where(item), key, "give either scope: instance (every instance's namespace) or namespaces: [...], not both");
                ok = false;
            } else if (!instanceScope && namespaces.isEmpty() && ok) {
                problems.error(yaml.where(item), key, "where to copy to: scope: instance (every instance's namespace) or namespaces: [...]");
                ok = false;
            }
            String name = entry.containsKey("name") ? yaml.string(entry.get("name"), key + ".name") : "";
            String when = entry.containsKey("when") ? yaml.string(entry.get("when"), key + ".when") : null;
            if (ok) {
                copies.add(new SecretCopy(fromNamespace, fromName, name, instanceScope, List.copyOf(namespaces), when,
                        yaml.where(item)));
            }
        }
        return List.copyOf(copies);
    }
}
