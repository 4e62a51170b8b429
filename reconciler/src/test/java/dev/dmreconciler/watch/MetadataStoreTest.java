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
    }
}
