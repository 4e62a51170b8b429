package dev.dmreconciler.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dmreconciler.secrets.Redactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Prints objects as YAML or JSON for people and pipelines. Secret values are never printed: each value of
 * a Secret's data/stringData is replaced by a marker (the key stays, so a reader sees which keys exist).
 */
public final class Manifests {

    public static final String REDACTED = "<redacted>";
    /** Shown instead of {@link #REDACTED} where a diff knows the value changed. */
    public static final String REDACTED_CHANGED = "<redacted (changed)>";

    /** Made on first use: YAML output (render's default, every diff) then loads no Jackson at all. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private Manifests() {
    }

    /** Multi-document YAML, each document headed by a comment naming its template. */
    public static String toYaml(List<RenderedObject> objects) {
        StringBuilder out = new StringBuilder(objects.size() * 512);
        for (RenderedObject object : objects) {
            out.append("---\n# Source: ").append(object.template());
            if (object.dmNamespace() != null) {
                out.append(" (namespace ").append(object.dmNamespace()).append(')');
            }
            out.append('\n');
            document(object.body(), out);
        }
        return out.toString();
    }

    /** One object as a YAML document without header. */
    public static String toYaml(Map<String, Object> body) {
        StringBuilder out = new StringBuilder(512);
        document(body, out);
        return out.toString();
    }

    /**
     * The same text either way: {@link BlockYaml} when it covers the document, else SnakeYAML. A new dumper for each
     * document SnakeYAML writes (rare: BlockYaml declines only unusual strings): a dumper is not reusable after a
     * dump that threw (its representer keeps the half-built nodes of that document's maps, by identity, and would
     * print them for the same maps later), and a fresh one costs nothing next to how rarely it is needed.
     */
    private static void document(Map<String, Object> body, StringBuilder out) {
        Map<String, Object> shown = redacted(body);
        if (!BlockYaml.write(shown, out)) {
            out.append(yaml().dump(shown));
        }
    }

    /** A kubectl-style List of the objects. */
    public static String toJson(List<RenderedObject> objects) {
        List<Object> items = new ArrayList<>();
        objects.forEach(o -> items.add(redacted(o.body())));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("items", items);
        try {
            return Json.MAPPER.writeValueAsString(list) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print objects as JSON", e);
        }
    }

    /**
     * The object as it may be shown: every value of a Secret's data/stringData replaced by a marker, and in any object
     * every string (or key) that holds a secret value this process read (a vault or sops value placed in an env var
     * or a ConfigMap: the usual mistake of a migrated playbook) with that value replaced, before it is printed in
     * whatever form; the object itself when there is nothing to hide.
     */
    public static Map<String, Object> redacted(Map<String, Object> body) {
        Redactor secrets = Redactor.global();
        Map<String, Object> shown = Stamp.isSecret(body) ? secretValuesHidden(body) : body;
        return secrets.isEmpty() ? shown : hideRegistered(shown, secrets);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> secretValuesHidden(Map<String, Object> body) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        for (String field : List.of("data", "stringData")) {
            if (copy.get(field) instanceof Map<?, ?> values) {
                Map<String, Object> hidden = new LinkedHashMap<>();
                ((Map<String, Object>) values).forEach((k, v) -> hidden.put(k, REDACTED_CHANGED.equals(v) ? v : REDACTED));
                copy.put(field, hidden);
            }
        }
        if (copy.get("metadata") instanceof Map<?, ?> metadata && metadata.get("annotations") instanceof Map<?, ?> annotations) {
            Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) metadata);
            Map<String, Object> hidden = new LinkedHashMap<>();
            ((Map<String, Object>) annotations).forEach((k, v) -> hidden.put(k,
                    REDACTED_CHANGED.equals(v) || !embedsBody(k, v) ? v : REDACTED));
            meta.put("annotations", hidden);
            copy.put("metadata", meta);
        }
        return copy;
    }

    /** The node with each registered secret in its strings replaced; the same instance when none holds one. */
    @SuppressWarnings("unchecked")
    static <T> T hideRegistered(T node, Redactor secrets) {
        if (node instanceof String text) {
            return (T) secrets.redact(text); // the same instance when nothing was replaced
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = null;
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = hideRegistered(entry.getKey(), secrets);
                Object value = hideRegistered(entry.getValue(), secrets);
                if (copy == null && (key != entry.getKey() || value != entry.getValue())) {
                    copy = new LinkedHashMap<>(); // the entries before this one, as they are
                    int before = 0;
                    for (Map.Entry<?, ?> earlier : map.entrySet()) {
                        if (before++ == index) {
                            break;
                        }
                        copy.put(earlier.getKey(), earlier.getValue());
                    }
                }
                if (copy != null) {
                    copy.put(key, value);
                }
                index++;
            }
            return copy == null ? node : (T) copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object item = hideRegistered(list.get(i), secrets);
                if (copy == null && item != list.get(i)) {
                    copy = new ArrayList<>(list.subList(0, i));
                }
                if (copy != null) {
                    copy.add(item);
                }
            }
            return copy == null ? node : (T) copy;
        }
        return node;
    }

    /**
     * Whether an annotation of a Secret may hold its body: kubectl's last-applied-configuration, or any value that
     * looks like a serialized object (JSON or multi-line) — a live diff must not print what the data hides.
     */
    public static boolean embedsBody(String key, Object value) {
        if (key.equals("kubectl.kubernetes.io/last-applied-configuration")) {
            return true;
        }
        String text = String.valueOf(value).strip();
        return text.startsWith("{") || text.startsWith("[") || text.contains("\n") || text.length() > 256;
    }

    /** SnakeYAML as configured for this output (package-private: BlockYamlTest compares with it). */
    static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        // the resolver decides which strings need quotes; the constructor is never used (this Yaml only dumps)
        return new Yaml(new SafeConstructor(new LoaderOptions()), new LiteralBlockRepresenter(options), options,
                new KubeYamlResolver());
    }

    /** Multi-line strings (start scripts, INI files) print as literal blocks, readable in diffs. */
    private static final class LiteralBlockRepresenter extends Representer {
        LiteralBlockRepresenter(DumperOptions options) {
            super(options);
            Represent plain = representers.get(String.class);
            representers.put(String.class, data -> {
                String text = (String) data;
                return text.contains("\n")
                        ? representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL)
                        : plain.representData(data);
            });
        }
    }
}
