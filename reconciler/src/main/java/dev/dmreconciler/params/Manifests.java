package dev.dmreconciler.params;

import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The native form's {@code manifests:} list: Kubernetes manifests in the repository (plain, or encrypted with sops,
 * as Flux users keep Secrets) applied with the environment. They join its desired state in the environment scope as
 * the application {@value Environment#MANIFESTS_APP}, so they are planned, applied, inventoried and pruned like
 * rendered objects.
 */
final class Manifests {

    private Manifests() {
    }

    /** The listed files (a repository path, or {@code {file: PATH, namespace: NS}}), each checked to exist. */
    static List<Environment.Manifest> paths(RepoTree tree, YamlFile yaml, Node node, Problems problems) {
        List<Environment.Manifest> manifests = new ArrayList<>();
        for (Node item : yaml.sequence(node, "manifests")) {
            String path;
            String namespace = null;
            if (item instanceof org.yaml.snakeyaml.nodes.MappingNode) {
                Map<String, Node> entry = yaml.mapping(item, "manifests");
                if (!entry.containsKey("file")) {
                    problems.error(yaml.where(item), "manifests", "an entry needs 'file' (and optionally 'namespace')");
                    continue;
                }
                path = yaml.string(entry.get("file"), "manifests.file");
                namespace = entry.containsKey("namespace") ? yaml.string(entry.get("namespace"), "manifests.namespace") : null;
            } else {
                path = yaml.string(item, "manifests");
            }
            try {
                String normalized = RepoTree.normalize(path);
                if (tree.read(normalized).isEmpty()) {
                    problems.error(yaml.where(item), "manifests", "manifest file '" + normalized + "' does not exist");
                } else {
                    manifests.add(new Environment.Manifest(normalized, namespace));
                }
            } catch (IllegalArgumentException e) {
                problems.error(yaml.where(item), "manifests", e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(manifests);
    }

    /** The application the manifests are applied as: no variables, no templates, no Data Manager namespaces. */
    static AppInstance application(String file) {
        Bundle bundle = new Bundle(Environment.MANIFESTS_APP, file, "manifests listed by the environment",
                Environment.MANIFESTS_APP + ".", null, null, null, "SetMe", List.of(), Map.of(), List.of());
        return new AppInstance(bundle, true, Map.of(), List.of(), Set.of());
    }
}
