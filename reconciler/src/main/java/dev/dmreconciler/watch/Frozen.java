package dev.dmreconciler.watch;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache's objects, read-only all the way down. The cache hands the very objects it stores to every pass and to
 * the drift watch (no copy per read: an unchanged resync reads every cached object, and copying 9,000 objects'
 * metadata on each pass would cost what the cache saves). So that no caller can change what another pass plans from,
 * each stored object is frozen as it arrives: every setter throws {@link UnsupportedOperationException}, and every
 * map and list (labels, annotations, finalizers, owner references, managed fields and the nested field set of the
 * reconciler's entry) is unmodifiable. A caller that needs to change one builds its own copy
 * ({@code new GenericKubernetesResourceBuilder(object)}).
 */
final class Frozen {

    private Frozen() {
    }

    static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("an object of the watch cache is read-only: copy it to change it");
    }

    /** A resource with only apiVersion, kind and frozen metadata. */
    static GenericKubernetesResource resource(String apiVersion, String kind, ObjectMeta metadata) {
        return new Resource(apiVersion, kind, metadata);
    }

    /** Frozen metadata; the collections are copied (null stays null). */
    static ObjectMeta meta(String name, String namespace, String uid, String resourceVersion, Long generation,
                           Map<String, String> labels, Map<String, String> annotations, List<OwnerReference> owners,
                           List<String> finalizers, String deletionTimestamp, List<ManagedFieldsEntry> managedFields) {
        return new Meta(name, namespace, uid, resourceVersion, generation, map(labels), map(annotations),
                owners == null ? null : owners.stream().map(Frozen::owner).toList(),
                finalizers == null ? null : List.copyOf(finalizers), deletionTimestamp, managedFields);
    }

    /** A frozen managed-fields entry: whole, or ({@code withFields} false) only its version, manager, operation, subresource. */
    static ManagedFieldsEntry entry(ManagedFieldsEntry entry, boolean withFields) {
        FieldsV1 fields = withFields && entry.getFieldsV1() != null ? new Fields(entry.getFieldsV1()) : null;
        return new Entry(entry.getApiVersion(), withFields ? entry.getFieldsType() : null, fields, entry.getManager(),
                entry.getOperation(), entry.getSubresource(), withFields ? entry.getTime() : null);
    }

    private static OwnerReference owner(OwnerReference owner) {
        return new Owner(owner);
    }

    /** Immutable and compact ({@code Map.copyOf}: no wrapper, no per-entry node); null stays null. */
    private static <V> Map<String, V> map(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        return map.containsKey(null) || map.containsValue(null) ? Collections.unmodifiableMap(new LinkedHashMap<>(map))
                : Map.copyOf(map);
    }

    /**
     * Maps and lists of a field set (JSON), copied and unmodifiable at every level. Most leaves of a field set are
     * empty maps ({@code "f:replicas": {}}): those become the one shared {@code Map.of()}.
     */
    private static Object deep(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return Map.of();
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deep(v)));
            return map(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deep(v)));
            return Collections.unmodifiableList(copy);
        }
        return value; // strings, numbers, booleans, null: immutable
    }

    private static final class Resource extends GenericKubernetesResource {
        Resource(String apiVersion, String kind, ObjectMeta metadata) {
            super.setApiVersion(apiVersion);
            super.setKind(kind);
            super.setMetadata(metadata);
            super.setAdditionalProperties(Map.of());
        }

        @Override
        public void setApiVersion(String apiVersion) {
            throw readOnly();
        }

        @Override
        public void setKind(String kind) {
            throw readOnly();
        }

        @Override
        public void setMetadata(ObjectMeta metadata) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperty(String name, Object value) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperties(Map<String, Object> properties) {
            throw readOnly();
        }
    }

    private static final class Meta extends ObjectMeta {
        Meta(String name, String namespace, String uid, String resourceVersion, Long generation, Map<String, String> labels,
             Map<String, String> annotations, List<OwnerReference> owners, List<String> finalizers, String deletionTimestamp,
             List<ManagedFieldsEntry> managedFields) {
            super(annotations, null, null, deletionTimestamp, finalizers, null, generation, labels,
                    managedFields == null ? null : List.copyOf(managedFields), name, namespace, owners, resourceVersion,
                    null, uid);
            super.setAdditionalProperties(Map.of());
        }

        @Override
        public void setAnnotations(Map<String, String> annotations) {
            throw readOnly();
        }

        @Override
        public void setCreationTimestamp(String creationTimestamp) {
            throw readOnly();
        }

        @Override
        public void setDeletionGracePeriodSeconds(Long seconds) {
            throw readOnly();
        }

        @Override
        public void setDeletionTimestamp(String deletionTimestamp) {
            throw readOnly();
        }

        @Override
        public void setFinalizers(List<String> finalizers) {
            throw readOnly();
        }

        @Override
        public void setGenerateName(String generateName) {
            throw readOnly();
        }

        @Override
        public void setGeneration(Long generation) {
            throw readOnly();
        }

        @Override
        public void setLabels(Map<String, String> labels) {
            throw readOnly();
        }

        @Override
        public void setManagedFields(List<ManagedFieldsEntry> managedFields) {
            throw readOnly();
        }

        @Override
        public void setName(String name) {
            throw readOnly();
        }

        @Override
        public void setNamespace(String namespace) {
            throw readOnly();
        }

        @Override
        public void setOwnerReferences(List<OwnerReference> ownerReferences) {
            throw readOnly();
        }

        @Override
        public void setResourceVersion(String resourceVersion) {
            throw readOnly();
        }

        @Override
        public void setSelfLink(String selfLink) {
            throw readOnly();
        }

        @Override
        public void setUid(String uid) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperty(String name, Object value) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperties(Map<String, Object> properties) {
            throw readOnly();
        }
    }

    private static final class Entry extends dev.dmreconciler.resource.ReadOnlyManagedFieldsEntry {
        Entry(String apiVersion, String fieldsType, FieldsV1 fields, String manager, String operation, String subresource,
              String time) {
            super(apiVersion, fieldsType, fields, manager, operation, subresource, time);
        }
    }

    private static final class Fields extends FieldsV1 {
        @SuppressWarnings("unchecked")
        Fields(FieldsV1 fields) {
            super.setAdditionalProperties((Map<String, Object>) deep(fields.getAdditionalProperties()));
        }

        @Override
        public void setAdditionalProperty(String name, Object value) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperties(Map<String, Object> properties) {
            throw readOnly();
        }
    }

    private static final class Owner extends OwnerReference {
        Owner(OwnerReference owner) {
            super(owner.getApiVersion(), owner.getBlockOwnerDeletion(), owner.getController(), owner.getKind(),
                    owner.getName(), owner.getUid());
            super.setAdditionalProperties(Map.of());
        }

        @Override
        public void setApiVersion(String apiVersion) {
            throw readOnly();
        }

        @Override
        public void setBlockOwnerDeletion(Boolean blockOwnerDeletion) {
            throw readOnly();
        }

        @Override
        public void setController(Boolean controller) {
            throw readOnly();
        }

        @Override
        public void setKind(String kind) {
            throw readOnly();
        }

        @Override
        public void setName(String name) {
            throw readOnly();
        }

        @Override
        public void setUid(String uid) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperty(String name, Object value) {
            throw readOnly();
        }

        @Override
        public void setAdditionalProperties(Map<String, Object> properties) {
            throw readOnly();
        }
    }
}
