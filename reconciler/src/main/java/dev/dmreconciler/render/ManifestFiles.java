package dev.dmreconciler.render;

import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.secrets.SecretException;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.secrets.Sops;
import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an environment's {@code manifests:} files: plain Kubernetes YAML, or sops-encrypted (decrypted with the
 * installed age keys, MAC verified). A file that cannot be decrypted is an error of the environment, so nothing of
 * it is applied or pruned.
 */
final class ManifestFiles {

    private ManifestFiles() {
    }

    record Manifest(String file, Map<String, Object> body) {
    }

    static List<Manifest> read(RepoTree tree, List<Environment.Manifest> files, Problems problems) {
        return read(tree, files, problems, new dev.dmreconciler.secrets.SecretValues.Collector());
    }

    /** @param secrets gathers the values decrypted from sops files (secret values of the environment) */
    static List<Manifest> read(RepoTree tree, List<Environment.Manifest> files, Problems problems,
                               dev.dmreconciler.secrets.SecretValues.Collector secrets) {
        List<Manifest> manifests = new ArrayList<>();
        for (Environment.Manifest listed : files) {
            String file = listed.path();
            try {
                String text = new String(tree.read(file).orElseThrow(), StandardCharsets.UTF_8);
                String plain = Sops.decryptText(text, SecretKeys.installed(), file, secrets::add);
                for (Map<String, Object> body : ManifestReader.read(plain)) {
                    withNamespace(body, listed.namespace());
                    manifests.add(new Manifest(file, body));
                }
            } catch (SecretException e) {
                problems.error(file, null, e.reason());
            } catch (ManifestReader.BadManifest e) {
                problems.error(file, null, e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifests;
    }

    /** Gives a namespaced object without a namespace the entry's namespace (cluster-scoped kinds are left alone). */
    @SuppressWarnings("unchecked")
    private static void withNamespace(Map<String, Object> body, String namespace) {
        Map<String, Object> metadata = (Map<String, Object>) body.get("metadata");
        String kind = String.valueOf(body.get("kind"));
        String apiVersion = String.valueOf(body.get("apiVersion"));
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (namespace != null && !metadata.containsKey("namespace") && !KindOrder.isClusterScoped(group, kind)) {
            Map<String, Object> placed = new java.util.LinkedHashMap<>();
            placed.put("name", metadata.get("name"));
            placed.put("namespace", namespace);
            placed.putAll(metadata);
            body.put("metadata", placed);
        }
    }
}
