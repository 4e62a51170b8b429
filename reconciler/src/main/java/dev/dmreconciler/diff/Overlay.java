package dev.dmreconciler.diff;

import dev.dmreconciler.resource.Stamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A desired object laid over the live one, for display only: what a replaced object will look like, with the
 * server's defaults the old one had (a container's {@code terminationMessagePath}, a Job's selector) kept,
 * so the diff shows what the templates change. Maps merge key by key; lists of the same length merge element
 * by element (a container list keeps its defaulted fields); any other value of the desired side replaces.
 */
final class Overlay {

    private Overlay() {
    }

    static Map<String, Object> over(Map<String, Object> live, Map<String, Object> desired) {
        Map<String, Object> result = Stamp.deepCopy(live);
        mergeInto(result, desired);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Map<String, Object> overlay) {
        overlay.forEach((key, value) -> target.put(key, merge(target.get(key), value)));
    }

    @SuppressWarnings("unchecked")
    private static Object merge(Object base, Object overlay) {
        if (base instanceof Map<?, ?> b && overlay instanceof Map<?, ?> o) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) b);
            mergeInto(merged, (Map<String, Object>) o);
            return merged;
        }
        if (base instanceof List<?> b && overlay instanceof List<?> o && b.size() == o.size()) {
            List<Object> merged = new ArrayList<>();
            for (int i = 0; i < o.size(); i++) {
                merged.add(merge(b.get(i), o.get(i)));
            }
            return merged;
        }
        return overlay;
    }
}
