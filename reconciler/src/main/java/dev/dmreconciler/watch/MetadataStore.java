package dev.dmreconciler.watch;

import dev.dmreconciler.plan.Fingerprint;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps only what planning reads of a live object: its metadata (name, namespace,
 * uid, resourceVersion, generation, labels, annotations, owner references, finalizers, deletion timestamp) and,
 * of its managed fields, the reconciler's own Apply entry reduced to its fingerprint ({@link Fingerprint#digested}:
 * computed once as the object arrives, not on every pass) and only the manager, operation and subresource of the
 * others (for messages naming who else owns fields).
 * Spec, data and status are dropped as each object arrives: a Deployment or ConfigMap of a few kB costs a few
 * hundred bytes here, so memory grows with the number of objects, not with their size. What is kept is frozen
 * ({@link Frozen}): the store hands out the objects it holds, never copies, and no reader can change them.
 */
final class MetadataStore implements ItemStore<GenericKubernetesResource> {

    /** kubectl's copy of the whole object: the largest annotation there is, and planning never reads it. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final Map<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();
    private final String fieldManager;

    MetadataStore(String fieldManager) {
        this.fieldManager = fieldManager;
    }

    /** namespace/name, or name for a cluster-scoped object (the informer's own key format). */
    static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        return items.put(key, reduce(object, fieldManager));
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return items.get(key);
    }

    /** The object reduced to what planning reads (see the class comment). */
    static GenericKubernetesResource reduce(GenericKubernetesResource full, String fieldManager) {
        ObjectMeta meta = full.getMetadata();
        Map<String, String> annotations = meta.getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            annotations = new HashMap<>(annotations);
            annotations.remove(LAST_APPLIED);
        }
        // frozen (Frozen): the cache hands these very objects to every pass, so no caller may change them
        ObjectMeta kept = Frozen.meta(common(meta.getName()), common(meta.getNamespace()), meta.getUid(),
                meta.getResourceVersion(), meta.getGeneration(), shared(meta.getLabels()), shared(annotations),
                meta.getOwnerReferences(), meta.getFinalizers(), meta.getDeletionTimestamp(),
                managedFields(meta.getManagedFields(), fieldManager));
        return Frozen.resource(common(full.getApiVersion()), common(full.getKind()), kept);
    }

    private static List<ManagedFieldsEntry> managedFields(List<ManagedFieldsEntry> entries, String fieldManager) {
        if (entries == null) {
            return null;
        }
        List<ManagedFieldsEntry> kept = new ArrayList<>(entries.size());
        for (ManagedFieldsEntry entry : entries) {
            boolean ours = fieldManager.equals(entry.getManager()) && "Apply".equals(entry.getOperation())
                    && (entry.getSubresource() == null || entry.getSubresource().isEmpty());
            ManagedFieldsEntry shared = new ManagedFieldsEntry(common(entry.getApiVersion()), common(entry.getFieldsType()),
                    entry.getFieldsV1(), common(entry.getManager()), common(entry.getOperation()), common(entry.getSubresource()),
                    common(entry.getTime()));
            // ours: its fingerprint only (read-only too), digested once here instead of on every pass
            kept.add(ours ? Fingerprint.digested(shared) : Frozen.entry(shared, false));
        }
        return kept;
    }

    /**
     * Strings that repeat from object to object (label and annotation keys, most of their values, names, namespaces,
     * managers, versions), kept once for the whole cache: thousands of Data Manager namespaces' objects carry the
     * same few dozen. The JVM's own string table: its entries are weak, so the strings of objects that left the
     * cache (a namespace removed, an object renamed) go with the next collection instead of staying for the life of
     * the process, and there is no bound after which strings stop being shared.
     */
    static String common(String text) {
        return text == null ? null : text.intern();
    }

    /** A copy with shared strings (Frozen then compacts it); the hash annotation's value is unique and kept as is. */
    private static Map<String, String> shared(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        Map<String, String> shared = new HashMap<>(map.size() * 2);
        map.forEach((key, value) -> shared.put(common(key), Stamp.HASH.equals(key) ? value : common(value)));
        return shared;
    }
}
