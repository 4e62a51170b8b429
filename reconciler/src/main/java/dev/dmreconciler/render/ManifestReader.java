package dev.dmreconciler.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads rendered multi-document YAML into objects, checking each has apiVersion, kind and metadata.name. */
public final class ManifestReader {

    private ManifestReader() {
    }

    /**
     * @throws BadManifest naming the rendered line or the document at fault
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<Map<String, Object>> documents = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        try {
            int index = 0;
            for (Object document : yaml.loadAll(text)) {
                index++;
                if (document == null) {
                    continue; // an empty document, e.g. from a conditional block
                }
                if (!(document instanceof Map<?, ?> map)) {
                    throw new BadManifest("rendered document " + index + " is not a mapping");
                }
                documents.add(checked((Map<String, Object>) map, index));
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? -1 : e.getProblemMark().getLine();
            String shown = line >= 0 && line < lines.length ? ": '" + lines[line].strip() + "'" : "";
            throw new BadManifest("rendered output is not valid YAML at rendered line " + (line + 1) + shown
                    + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new BadManifest("rendered output is not valid YAML: " + e.getMessage());
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> checked(Map<String, Object> object, int index) {
        for (String field : List.of("apiVersion", "kind")) {
            if (!(object.get(field) instanceof String value) || value.isBlank()) {
                throw new BadManifest("rendered document " + index + " has no " + field);
            }
        }
        if (!(object.get("metadata") instanceof Map<?, ?> metadata)
                || !(((Map<String, Object>) metadata).get("name") instanceof String name) || name.isBlank()) {
            throw new BadManifest("rendered document " + index + " (" + object.get("kind") + ") has no metadata.name");
        }
        return object;
    }

    /** Rendered output that is not a valid set of Kubernetes objects. */
    public static final class BadManifest extends RuntimeException {
        BadManifest(String message) {
            super(message);
        }
    }
}
