package dev.dmreconciler.render;

import dev.dmreconciler.resource.Stamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders each distinct (template, values it reads) once per environment: a Data Manager namespace's Role reads
 * nothing of its model and renders once for 3,000 namespaces; its ConfigMap reads the cost values and renders once
 * per distinct cost; its RoleBinding reads {@code namespace} and renders per namespace. What was rendered and
 * parsed is kept with the values the template read ({@link RecordingModel}); a model with the same values of
 * exactly those variables gets a copy of the same documents. The output still counts against the environment's
 * output limit as if it had been rendered. One memo serves one environment's render, on one thread.
 */
final class RenderMemo {

    /** A remembered rendering, handed out as fresh copies (the renderer changes the documents it gets). */
    record Hit(int chars, List<Map<String, Object>> documents) {
    }

    /** One rendering: the variables it read with their values (or the whole model), its size and documents. */
    private record Rendered(Map<String, Object> reads, int chars, List<Map<String, Object>> documents) {

        boolean matches(Map<String, Object> model, boolean whole) {
            if (whole && reads.size() != model.size()) {
                return false;
            }
            for (Map.Entry<String, Object> read : reads.entrySet()) {
                Object now = model.get(read.getKey());
                if (now != read.getValue() && !Objects.equals(now, read.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<String, List<Rendered>> byTemplate = new HashMap<>();
    private final Map<String, List<Rendered>> wholeByTemplate = new HashMap<>();

    /** Copies of what the template rendered for an equivalent model; null when it has not rendered one. */
    Hit find(String template, Map<String, Object> model) {
        for (Rendered rendered : byTemplate.getOrDefault(template, List.of())) {
            if (rendered.matches(model, false)) {
                return hit(rendered);
            }
        }
        for (Rendered rendered : wholeByTemplate.getOrDefault(template, List.of())) {
            if (rendered.matches(model, true)) {
                return hit(rendered);
            }
        }
        return null;
    }

    /**
     * Remembers a successful rendering (copies of its documents, before anyone changes them).
     *
     * @param reads what {@link RecordingModel#reads()} says; null: it read the whole model
     */
    void remember(String template, Map<String, Object> model, Map<String, Object> reads, int chars,
                  List<Map<String, Object>> documents) {
        List<Map<String, Object>> copies = new ArrayList<>(documents.size());
        documents.forEach(d -> copies.add(Stamp.deepCopy(d)));
        Rendered rendered = new Rendered(new HashMap<>(reads == null ? model : reads), chars, copies);
        (reads == null ? wholeByTemplate : byTemplate).computeIfAbsent(template, t -> new ArrayList<>()).add(rendered);
    }

    private static Hit hit(Rendered rendered) {
        List<Map<String, Object>> copies = new ArrayList<>(rendered.documents().size());
        rendered.documents().forEach(d -> copies.add(Stamp.deepCopy(d)));
        return new Hit(rendered.chars(), copies);
    }
}
