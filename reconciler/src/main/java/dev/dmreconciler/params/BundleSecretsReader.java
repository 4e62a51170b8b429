package dev.dmreconciler.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** Reads bundle.yaml's {@code envLookups: [NAME]}, {@code varsFiles: [{file, when}]} and {@code secretCopies:}. */
final class BundleSecretsReader {

    private BundleSecretsReader() {
    }

    static BundleSecrets read(YamlFile yaml, Map<String, Node> top, Problems problems) {
        List<String> lookups = new ArrayList<>();
        if (top.containsKey("envLookups") && !YamlFile.isNull(top.get("envLookups"))) {
            yaml.sequence(top.get("envLookups"), "envLookups").forEach(n -> lookups.add(yaml.string(n, "envLookups")));
        }
        List<BundleSecrets.VarsFile> varsFiles = new ArrayList<>();
        if (top.containsKey("varsFiles") && !YamlFile.isNull(top.get("varsFiles"))) {
            for (Node item : yaml.sequence(top.get("varsFiles"), "varsFiles")) {
                Map<String, Node> entry = yaml.mapping(item, "varsFiles");
                if (!entry.containsKey("file") || !entry.containsKey("when")) {
                    problems.error(yaml.where(item), "varsFiles", "each entry needs 'file' (a name with {variable}) and 'when' (a variable)");
                    continue;
                }
                varsFiles.add(new BundleSecrets.VarsFile(yaml.string(entry.get("file"), "varsFiles.file"),
                        yaml.string(entry.get("when"), "varsFiles.when")));
            }
        }
        return new BundleSecrets(List.copyOf(lookups), List.copyOf(varsFiles),
                SecretCopiesReader.read(yaml, top.get("secretCopies"), "secretCopies", problems));
    }
}
