package dev.dmreconciler.render;

import dev.dmreconciler.resource.KubeYamlKeys;
import dev.dmreconciler.secrets.Redactor;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads rendered multi-document YAML into objects, checking each has apiVersion, kind and metadata.name. */
public final class ManifestReader {

    /** A loader per thread: building one (constructors, resolvers) cost more than parsing a small template. */
    private static final ThreadLocal<Yaml> YAML = ThreadLocal.withInitial(() -> {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        return new Yaml(new KubeYamlKeys(options));
    });

    private ManifestReader() {
    }

    /**
     * @throws BadManifest naming the rendered line or the document at fault (with its line and column, so the
     *                     template line that wrote it can be found: {@link TemplateEngine#explain})
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(String text) {
        Yaml yaml = YAML.get();
        List<Map<String, Object>> documents = new ArrayList<>();
        try {
            int index = 0;
            for (Object document : yaml.loadAll(text)) {
                index++;
                if (document == null) {
                    continue; // an empty document, e.g. from a conditional block
                }
                try {
                    if (!(document instanceof Map<?, ?> map)) {
                        throw new BadManifest("rendered document " + index + " is not a mapping", 0, 0);
                    }
                    documents.add(checked((Map<String, Object>) map, index));
                } catch (BadManifest e) {
                    Mark start = documentStart(yaml, text, index);
                    throw start == null ? e : new BadManifest(e.getMessage(), start.getLine() + 1, start.getColumn() + 1);
                }
            }
        } catch (MarkedYAMLException e) {
            String[] lines = text.split("\n", -1);
            Mark mark = culprit(e, lines);
            int line = mark == null ? 0 : mark.getLine() + 1;
            // the line's text only when it holds no secret (a secret variable's value may be what broke the YAML)
            String culprit = line >= 1 && line <= lines.length ? lines[line - 1].strip() : null;
            String shown = culprit == null ? "" : Redactor.global().holdsSecretLine(culprit) ? " (rendered line " + line + ")"
                    : " (rendered line " + line + ": `" + culprit + "`)";
            throw new BadManifest("rendered output is not valid YAML: " + e.getProblem() + shown,
                    line, mark == null ? 0 : mark.getColumn() + 1);
        } catch (YAMLException e) {
            throw new BadManifest("rendered output is not valid YAML: " + e.getMessage(), 0, 0);
        }
        return documents;
    }

    /**
     * Where the mistake most likely is: the problem's position, unless that is the end of the text or a blank line
     * (an unclosed bracket is found only at the end), then the construct being parsed or the last written line.
     */
    private static Mark culprit(MarkedYAMLException e, String[] lines) {
        for (Mark mark : new Mark[] {e.getProblemMark(), e.getContextMark()}) {
            if (mark != null && mark.getLine() < lines.length && !lines[mark.getLine()].isBlank()) {
                return mark;
            }
        }
        Mark problem = e.getProblemMark();
        int last = Math.min(problem == null ? lines.length : problem.getLine(), lines.length) - 1;
        while (last >= 0 && lines[last].isBlank()) {
            last--;
        }
        return last < 0 ? problem : new Mark("", 0, last, lines[last].length() - lines[last].stripLeading().length(), new int[0], 0);
    }

    /** The start of the {@code index}-th (1-based) document, for errors about a whole object. */
    private static Mark documentStart(Yaml yaml, String text, int index) {
        int i = 0;
        for (Node node : yaml.composeAll(new StringReader(text))) {
            if (++i == index) {
                return node == null ? null : node.getStartMark();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> checked(Map<String, Object> object, int index) {
        for (String field : List.of("apiVersion", "kind")) {
            if (!(object.get(field) instanceof String value) || value.isBlank()) {
                throw new BadManifest("rendered document " + index + " has no " + field, 0, 0);
            }
        }
        if (!(object.get("metadata") instanceof Map<?, ?> metadata)
                || !(((Map<String, Object>) metadata).get("name") instanceof String name) || name.isBlank()) {
            throw new BadManifest("rendered document " + index + " (" + object.get("kind") + ") has no metadata.name", 0, 0);
        }
        // the API server's rules for any object's name, and a namespace's; both also become paths (URLs, render --out)
        if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%") || name.contains("\0")) {
            throw new BadManifest("rendered document " + index + " (" + object.get("kind") + "): metadata.name '" + name
                    + "' is not a valid object name (it may not be '.' or '..' or contain '/' or '%')", 0, 0);
        }
        Object namespace = metadata.get("namespace");
        // "" is "not set", as for kubectl and the API server (Helm-style templates print a namespace on every kind)
        if (namespace != null && !"".equals(namespace)
                && !(namespace instanceof String text && NAMESPACE.matcher(text).matches())) {
            throw new BadManifest("rendered document " + index + " (" + object.get("kind") + " " + name
                    + "): metadata.namespace '" + namespace + "' is not a valid namespace name (lower-case letters, digits"
                    + " and '-', at most 63 characters, a letter or digit at each end)", 0, 0);
        }
        String key = nonStringKey(object, "");
        if (key != null) {
            throw new BadManifest("rendered document " + index + " (" + object.get("kind") + " " + name + "): the key "
                    + key + " is not a string (quote it: Kubernetes objects have string keys only; integer and boolean keys are"
                    + " read as kubectl reads them)", 0, 0);
        }
        return object;
    }

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The path of the first map key that is still not a string ({@code 1.5: x}, {@code ~: x}; see {@link KubeYamlKeys}), or null. */
    private static String nonStringKey(Object node, String path) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    return path + (path.isEmpty() ? "" : ".") + entry.getKey();
                }
                String found = nonStringKey(entry.getValue(), path + (path.isEmpty() ? "" : ".") + key);
                if (found != null) {
                    return found;
                }
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String found = nonStringKey(list.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Rendered output that is not a valid set of Kubernetes objects. */
    public static final class BadManifest extends RuntimeException {
        private final int line;
        private final int column;

        BadManifest(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        /** 1-based rendered line of the mistake, 0 when unknown. */
        public int line() {
            return line;
        }

        /** 1-based column in that line, 0 when unknown. */
        public int column() {
            return column;
        }
    }
}
