package dev.dmreconciler.render;

import dev.dmreconciler.resource.ReadOnlyTree;
import dev.dmreconciler.resource.Stamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Renders each distinct (template, values it reads) once per environment: a Data Manager namespace's Role reads
 * nothing of its model and renders once for 3,000 namespaces; its ConfigMap reads the cost values and renders once
 * per distinct cost; its RoleBinding reads {@code namespace} and renders per namespace. What was rendered and
 * parsed is kept with the values the template read ({@link RecordingModel}); a model with the same values of
 * exactly those variables gets a copy of the same documents. The output still counts against the environment's
 * output limit as if it had been rendered. One memo serves one environment's render, on one thread.
 *
 * <p>A lookup is a hash lookup per set of variables a template was seen to read (a template reads the same few
 * variables for most models), not a scan of every rendering: with 3,000 namespaces the scan was quadratic.
 *
 * <p>Across renders ({@code run}: one environment rendered again for each commit): a memo may start from the
 * renderings of the environment's previous render with the same templates ({@link #carrying}), read-only; what
 * this render uses of them is carried into it, the rest is dropped with the previous memo. Values read are
 * compared by equality, so a changed value (a rotated secret among them) is rendered again, and a value that is
 * gone is kept at most one render longer. The caller must only carry a memo of the same template files.
 */
final class RenderMemo {

    /** A remembered rendering, handed out as fresh copies (the renderer changes the documents it gets). */
    record Hit(int chars, List<Map<String, Object>> documents) {
    }

    /** One rendering: its size and documents (read-only: handed out as copies). */
    private record Rendered(int chars, List<Map<String, Object>> documents) {
    }

    /**
     * The values of some variables (null: absent), with a hash computed once; equal when every value is equal,
     * the same object being the quick case (a render passes one application model to all its instances).
     */
    private static final class Values {
        private final Object[] values;
        private final int hash;

        Values(Object[] values, Map<Object, Integer> hashes) {
            this.values = values;
            int h = 1;
            for (Object value : values) {
                h = 31 * h + (value instanceof Map<?, ?> || value instanceof List<?>
                        ? hashes.computeIfAbsent(value, Object::hashCode) : Objects.hashCode(value));
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Values that) || that.hash != hash || that.values.length != values.length) {
                return false;
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] != that.values[i] && !Objects.equals(values[i], that.values[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A template's renderings by the variables they read (sorted; a whole-model reading is marked as such: it
     * matches only a model of exactly those variables) and then by those variables' values.
     */
    private static final class ByTemplate {
        final Map<List<String>, Map<Values, Rendered>> read = new HashMap<>();
        final Map<List<String>, Map<Values, Rendered>> whole = new HashMap<>();
    }

    private final Map<String, ByTemplate> byTemplate = new HashMap<>();
    /**
     * For a memo kept across renders ({@link #carrying}: {@code run}), what is remembered is kept read-only and compact
     * ({@link ReadOnlyTree}): at 3,000 namespaces it holds a rendering per namespace of the templates that read the
     * namespace, whose strings repeat (JOL: 9.2 MB as parsed, 2.2 MB so). Null for a one-shot render's memo, which
     * lives as long as the render: plain copies, no compaction cost.
     */
    private final ReadOnlyTree kept;
    /** Hashes of the big values (maps, lists) of this render, by identity: an application's model is hashed once. */
    private final Map<Object, Integer> hashes = new IdentityHashMap<>();
    /** The previous render's memo (never changed once published), or null. */
    private final RenderMemo previous;

    RenderMemo() {
        this(null, false);
    }

    private RenderMemo(RenderMemo previous, boolean compact) {
        this.previous = previous;
        this.kept = compact ? new ReadOnlyTree() : null;
    }

    /** A memo that also finds what {@code previous} (a {@link #published} memo of the same templates) rendered. */
    static RenderMemo carrying(RenderMemo previous) {
        return new RenderMemo(previous, true);
    }

    /**
     * This memo's renderings, for the next render to carry, without its link to the previous one (memos never
     * chain) and without the hashes of this render's values; nothing changes it afterwards.
     */
    RenderMemo published() {
        RenderMemo own = new RenderMemo(null, false); // read-only from now on: its renderings are kept as they are
        own.byTemplate.putAll(byTemplate);
        return own;
    }

    /** Copies of what the template rendered for an equivalent model; null when it has not rendered one. */
    Hit find(String template, Map<String, Object> model) {
        Rendered found = find(this, template, model, false);
        if (found == null && previous != null) {
            found = find(previous, template, model, true); // used again: kept for the next render too
        }
        return found == null ? null : hit(found);
    }

    /** In {@code memo}'s renderings (this one's or the previous one's); a previous one's is carried into this one. */
    private Rendered find(RenderMemo memo, String template, Map<String, Object> model, boolean carry) {
        ByTemplate renderings = memo.byTemplate.get(template);
        if (renderings == null) {
            return null;
        }
        for (int pass = 0; pass < 2; pass++) {
            boolean whole = pass == 1;
            for (Map.Entry<List<String>, Map<Values, Rendered>> byRead : (whole ? renderings.whole : renderings.read).entrySet()) {
                List<String> names = byRead.getKey();
                if (whole && (names.size() != model.size() || !model.keySet().containsAll(names))) {
                    continue;
                }
                Values values = values(names, model);
                Rendered found = byRead.getValue().get(values);
                if (found != null) {
                    if (carry) {
                        add(template, names, whole, values, found);
                    }
                    return found;
                }
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
        documents.forEach(d -> copies.add(kept != null ? kept.map(d) : Stamp.deepCopy(d)));
        List<String> names = List.copyOf(new TreeSet<>((reads == null ? model : reads).keySet()));
        // the values as the template saw them (a read of an absent variable is null either way)
        add(template, names, reads == null, values(names, reads == null ? model : reads), new Rendered(chars, copies));
    }

    private void add(String template, List<String> names, boolean whole, Values values, Rendered rendered) {
        ByTemplate renderings = byTemplate.computeIfAbsent(template, t -> new ByTemplate());
        (whole ? renderings.whole : renderings.read).computeIfAbsent(names, n -> new HashMap<>()).putIfAbsent(values, rendered);
    }

    private Values values(List<String> names, Map<String, Object> model) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = model.get(names.get(i));
        }
        return new Values(values, hashes);
    }

    /**
     * Copies the renderer may change: its top level and metadata (it places the object in its namespace and marks its
     * lifecycle there). A read-only rendering ({@code run}'s) shares everything below with the memo: copying it whole
     * made ≈ 15 MB of maps per commit at 3,000 namespaces, promoted before the kept render compacted them again
     * (CompactBodies takes the shared read-only maps as they are). A one-shot memo's plain maps are copied whole.
     */
    @SuppressWarnings("unchecked")
    private static Hit hit(Rendered rendered) {
        List<Map<String, Object>> copies = new ArrayList<>(rendered.documents().size());
        for (Map<String, Object> document : rendered.documents()) {
            if (ReadOnlyTree.isReadOnly(document)) {
                Map<String, Object> copy = new LinkedHashMap<>(document);
                if (copy.get("metadata") instanceof Map<?, ?> metadata) {
                    copy.put("metadata", new LinkedHashMap<>((Map<String, Object>) metadata));
                }
                copies.add(copy);
            } else {
                copies.add(Stamp.deepCopy(document));
            }
        }
        return new Hit(rendered.chars(), copies);
    }
}
