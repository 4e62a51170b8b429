package dev.dmreconciler.diff;

import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.resource.SecretPaths;
import dev.dmreconciler.resource.Stamp;
import dev.dmreconciler.secrets.Redactor;
import java.util.Collection;
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
        return pair(before, after, List.of());
    }

    /**
     * Display YAML of before (the live object) and after, with the live values at {@code secretPaths} hidden where
     * they differ from the wanted ones: the places where the object held a secret value of its environment when it
     * was applied (its inventory entry, {@code SecretPaths}). The secret may have left git since, so this process
     * does not know it and no redactor would catch it (review S11-F14); only those places are hidden, so an image
     * bump of the same Deployment still shows from which version (S11B-F5), and metadata is covered too (S11B-F4).
     */
    public static String[] pair(Map<String, Object> before, Map<String, Object> after, Collection<String> secretPaths) {
        Map<String, Object> a = before == null ? null : clean(before);
        Map<String, Object> b = after == null ? null : clean(after);
        if (a != null && !secretPaths.isEmpty()) {
            SecretPaths.hide(a, b, secretPaths);
        }
        if (a != null && b != null) {
            markChangedSecretValues(a, b);
            if (!Redactor.global().isEmpty()) {
                hideWhereWantedHoldsSecrets(a, b, Redactor.global());
            }
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

    /**
     * Where the wanted side has a string holding a secret value (a vault value in an env var: hidden when printed)
     * and the live side has another string at the same place, that live string is most likely the previous secret:
     * it is hidden too, and the wanted side says the value changed. Maps by key, lists by position.
     */
    @SuppressWarnings("unchecked")
    private static void hideWhereWantedHoldsSecrets(Object live, Object wanted, Redactor secrets) {
        if (live instanceof Map<?, ?> liveMap && wanted instanceof Map<?, ?> wantedMap) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) wantedMap).entrySet()) {
                Object liveValue = liveMap.get(entry.getKey());
                if (entry.getValue() instanceof String text && liveValue instanceof String old) {
                    if (!text.equals(old) && secrets.contains(text)) {
                        ((Map<String, Object>) liveMap).put(entry.getKey(), Manifests.REDACTED);
                        entry.setValue(Manifests.REDACTED_CHANGED);
                    }
                } else {
                    hideWhereWantedHoldsSecrets(liveValue, entry.getValue(), secrets);
                }
            }
        } else if (live instanceof List<?> liveList && wanted instanceof List<?> wantedList) {
            for (int i = 0; i < Math.min(liveList.size(), wantedList.size()); i++) {
                if (wantedList.get(i) instanceof String text && liveList.get(i) instanceof String old) {
                    if (!text.equals(old) && secrets.contains(text)) {
                        ((List<Object>) liveList).set(i, Manifests.REDACTED);
                        ((List<Object>) wantedList).set(i, Manifests.REDACTED_CHANGED);
                    }
                } else {
                    hideWhereWantedHoldsSecrets(liveList.get(i), wantedList.get(i), secrets);
                }
            }
        }
    }
}
