package dev.dmreconciler.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.plan.Decisions;
import dev.dmreconciler.plan.Fingerprint;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache keeps what planning reads and nothing else. */
class MetadataStoreTest {

    static FieldsV1 fields(String key, Object value) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty(key, value);
        return fields;
    }

    @Test
    void keepsTheMetadataThePlannerReadsAndDropsTheBody() {
        GenericKubernetesResource full = new GenericKubernetesResource();
        full.setApiVersion("apps/v1");
        full.setKind("Deployment");
        full.setMetadata(new ObjectMetaBuilder().withName("op").withNamespace("ns").withUid("u-1").withResourceVersion("42")
                .withGeneration(3L).withLabels(Map.of("app", "x")).withFinalizers("f")
                .withOwnerReferences(new OwnerReferenceBuilder().withName("owner").withUid("u-0").build())
                .withAnnotations(Map.of("dm-reconciler.dev/hash", "h", "meta.helm.sh/release-name", "web",
                        MetadataStore.LAST_APPLIED, "{\"a huge\": \"copy\"}"))
                .withManagedFields(
                        new ManagedFieldsEntry("apps/v1", "FieldsV1", fields("f:spec", Map.of("f:replicas", Map.of())),
                                "dm-reconciler", "Apply", null, "2026-11-21T00:00:00Z"),
                        new ManagedFieldsEntry("apps/v1", "FieldsV1", fields("f:spec", Map.of("f:paused", Map.of())),
                                "kubectl-edit", "Update", null, "2026-11-21T00:00:01Z"),
                        new ManagedFieldsEntry("apps/v1", "FieldsV1", fields("f:status", Map.of()),
                                "kube-controller-manager", "Update", "status", null))
                .build());
        full.setAdditionalProperty("spec", Map.of("replicas", 1, "template", Map.of("spec", Map.of("containers", List.of()))));
        full.setAdditionalProperty("status", Map.of("replicas", 1));

        GenericKubernetesResource kept = MetadataStore.reduce(full, "dm-reconciler");

        assertEquals(Map.of(), kept.getAdditionalProperties(), "no spec, no status");
        assertEquals(List.of("op", "ns", "u-1", "42", 3L), List.of(kept.getMetadata().getName(), kept.getMetadata().getNamespace(),
                kept.getMetadata().getUid(), kept.getMetadata().getResourceVersion(), kept.getMetadata().getGeneration()));
        assertEquals(full.getMetadata().getLabels(), kept.getMetadata().getLabels());
        assertEquals(full.getMetadata().getOwnerReferences(), kept.getMetadata().getOwnerReferences());
        assertEquals(List.of("f"), kept.getMetadata().getFinalizers());
        assertFalse(kept.getMetadata().getAnnotations().containsKey(MetadataStore.LAST_APPLIED));
        assertTrue(full.getMetadata().getAnnotations().containsKey(MetadataStore.LAST_APPLIED), "the original is not modified");
        assertEquals(Fingerprint.of(full, "dm-reconciler"), Fingerprint.of(kept, "dm-reconciler"));
        assertEquals(Fingerprint.otherManagers(full, "dm-reconciler"), Fingerprint.otherManagers(kept, "dm-reconciler"));
        assertEquals(Decisions.owners(full), Decisions.owners(kept));
        assertNull(kept.getMetadata().getManagedFields().get(1).getFieldsV1(), "others' field sets are not kept");
        assertNull(kept.getMetadata().getManagedFields().get(0).getFieldsV1(), "ours is kept as its fingerprint only");
        assertEquals("dm-reconciler", kept.getMetadata().getManagedFields().get(0).getManager());
    }

    /**
     * The store hands its own objects to every pass and to the drift watch, without a copy: whatever a caller tries,
     * the cached object stays as the watch delivered it (each attempt fails loudly instead of changing it).
     */
    @Test
    void aCallerCannotChangeWhatTheCacheHolds() {
        MetadataStore store = new MetadataStore("dm-reconciler");
        GenericKubernetesResource full = new GenericKubernetesResource();
        full.setApiVersion("v1");
        full.setKind("ConfigMap");
        full.setMetadata(new ObjectMetaBuilder().withName("cfg").withNamespace("ns").withUid("u-1").withResourceVersion("7")
                .withLabels(Map.of("app.kubernetes.io/managed-by", "dm-reconciler")).withAnnotations(Map.of("dm-reconciler.dev/hash", "h"))
                .withFinalizers("f").withOwnerReferences(new OwnerReferenceBuilder().withName("owner").withUid("u-0").build())
                .withManagedFields(new ManagedFieldsEntry("v1", "FieldsV1",
                        fields("f:data", new java.util.HashMap<>(Map.of("f:a", new java.util.HashMap<>()))),
                        "dm-reconciler", "Apply", null, "2026-11-21T00:00:00Z"))
                .build());
        store.put("ns/cfg", full);
        GenericKubernetesResource cached = store.get("ns/cfg");
        String before = cached.toString();
        String fingerprint = Fingerprint.of(cached, "dm-reconciler");

        var meta = cached.getMetadata();
        var entry = meta.getManagedFields().get(0);
        assertNull(entry.getFieldsV1(), "the reconciler's own field set is kept as its fingerprint only");
        List<org.junit.jupiter.api.function.Executable> mutations = List.of(
                () -> meta.getLabels().remove("app.kubernetes.io/managed-by"),
                () -> meta.getLabels().put("dm-reconciler.dev/application", "other"),
                () -> meta.setLabels(Map.of()),
                () -> meta.getAnnotations().put("dm-reconciler.dev/hash", "other"),
                () -> meta.setAnnotations(null),
                () -> meta.setUid("u-2"),
                () -> meta.setResourceVersion("8"),
                () -> meta.setName("other"),
                () -> meta.getFinalizers().clear(),
                () -> meta.getOwnerReferences().get(0).setUid("u-3"),
                () -> meta.getOwnerReferences().clear(),
                () -> meta.getManagedFields().clear(),
                () -> meta.setManagedFields(List.of()),
                () -> entry.setManager("kubectl-edit"),
                () -> entry.setFieldsV1(null),
                () -> entry.setTime("2026-11-22T00:00:00Z"),
                () -> entry.getAdditionalProperties().put("x", "y"),
                () -> meta.getAdditionalProperties().put("x", "y"),
                () -> cached.setMetadata(new ObjectMetaBuilder().withName("other").build()),
                () -> cached.setAdditionalProperty("data", Map.of("a", "secret")),
                () -> cached.getAdditionalProperties().put("data", Map.of()),
                () -> cached.setKind("Secret"));
        for (var mutation : mutations) {
            org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, mutation);
        }
        assertEquals(before, store.get("ns/cfg").toString(), "the cached object is unchanged");
        assertEquals(fingerprint, Fingerprint.of(store.get("ns/cfg"), "dm-reconciler"));
        assertEquals(before, store.values().findFirst().orElseThrow().toString());

        full.getMetadata().getLabels(); // the object the watch delivered is not shared with the cache either
        full.getMetadata().setLabels(Map.of("changed", "by the informer's caller"));
        ((Map<String, Object>) full.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties()
                .get("f:data")).put("f:c", Map.of());
        assertEquals(before, store.get("ns/cfg").toString(), "nothing of the delivered object is shared");
        assertEquals(fingerprint, Fingerprint.of(store.get("ns/cfg"), "dm-reconciler"));
    }

    @Test
    void repeatedStringsAreSharedAndThoseNoObjectUsesAnyMoreAreNotKept() {
        String one = new String("dm-reconciler.dev/example-" + System.nanoTime());
        String two = new String(one);
        assertTrue(MetadataStore.common(one) == MetadataStore.common(two), "one instance for equal strings");
        assertNull(MetadataStore.common(null));
        // a string only the table still knew (its object left the cache) is collected, not kept for the process's life
        java.lang.ref.WeakReference<String> shared = new java.lang.ref.WeakReference<>(MetadataStore.common(one));
        one = null;
        two = null;
        for (int i = 0; i < 20 && shared.get() != null; i++) {
            System.gc();
        }
        assertNull(shared.get(), "the table does not keep strings alive");
    }
}
