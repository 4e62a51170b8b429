package dev.dmreconciler.diff;

import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.resource.Stamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects as a person should compare them: without server bookkeeping (managedFields, resourceVersion, uid,
 * timestamps, generation, status) and the reconciler's hash, and with Secret values replaced by markers that
 * still say whether a key's value changed.
 */
public final class DisplayYaml {

    private static final List<String> NOISE = List.of("managedFields", "resourceVersion", "uid", "creationTimestamp",
            "generation", "selfLink");

    private DisplayYaml() {
    }

    /** Display YAML of before and after (either may be null), Secret values compared before redaction. */
    public static String[] pair(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> a = before == null ? null : clean(before);
        Map<String, Object> b = after == null ? null : clean(after);
        if (a != null && b != null) {
            markChangedSecretValues(a, b);
        }
        return new String[] {a == null ? "" : Manifests.toYaml(a), b == null ? "" : Manifests.toYaml(b)};
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> clean(Map<String, Object> object) {
        Map<String, Object> copy = Stamp.deepCopy(object);
        copy.remove("status");
        if (copy.get("metadata") instanceof Map<?, ?> metadata) {
            NOISE.forEach(metadata::remove);
            if (metadata.get("annotations") instanceof Map<?, ?> annotations) {
                annotations.remove(Stamp.HASH);
                if (annotations.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
        }
        return copy;
    }

    /** In the after side, a Secret value that differs from before becomes {@link Manifests#REDACTED_CHANGED}. */
    @SuppressWarnings("unchecked")
    private static void markChangedSecretValues(Map<String, Object> before, Map<String, Object> after) {
        if (!"Secret".equals(after.get("kind"))) {
            return;
        }
        for (String field : List.of("data", "stringData")) {
            if (after.get(field) instanceof Map<?, ?> values) {
                Map<String, Object> old = before.get(field) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                Map<String, Object> marked = new LinkedHashMap<>();
                ((Map<String, Object>) values).forEach((k, v) ->
                        marked.put(k, old.containsKey(k) && !java.util.Objects.equals(old.get(k), v) ? Manifests.REDACTED_CHANGED : v));
                after.put(field, marked);
            }
        }
        // annotations that embed the body (last-applied-configuration): redacted, and marked when they changed
        if (after.get("metadata") instanceof Map<?, ?> meta && meta.get("annotations") instanceof Map<?, ?> annotations) {
            Map<String, Object> old = before.get("metadata") instanceof Map<?, ?> m && m.get("annotations") instanceof Map<?, ?> a
                    ? (Map<String, Object>) a : Map.of();
            Map<String, Object> marked = new LinkedHashMap<>();
            ((Map<String, Object>) annotations).forEach((k, v) -> marked.put(k, Manifests.embedsBody(k, v)
                    && old.containsKey(k) && !java.util.Objects.equals(old.get(k), v) ? Manifests.REDACTED_CHANGED : v));
            ((Map<String, Object>) meta).put("annotations", marked);
        }
    }
}
