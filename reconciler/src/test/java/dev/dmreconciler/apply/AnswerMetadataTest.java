package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.kube.RawApi;
import dev.dmreconciler.plan.Fingerprint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The applier parses only the metadata of an apply's answer; what it reads must equal a full parse. */
class AnswerMetadataTest {

    static final String ANSWER = """
            {"kind":"Deployment","apiVersion":"apps/v1",
             "metadata":{"name":"web","namespace":"team","uid":"u-1","resourceVersion":"42","generation":3,
               "labels":{"app.kubernetes.io/managed-by":"dm-reconciler"},"annotations":{"dm-reconciler.dev/hash":"abc"},
               "finalizers":["x/y"],
               "managedFields":[{"manager":"dm-reconciler","operation":"Apply","apiVersion":"apps/v1",
                 "time":"2026-11-21T18:00:00Z","fieldsType":"FieldsV1",
                 "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}},
                {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","subresource":"status",
                 "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:replicas":{}}}}]},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"c","image":"i","args":["a",{"b":[1,2]}]}]}}},
             "status":{"conditions":[{"type":"Available","status":"True"}],"replicas":2},
             "extra":[[1],[2,{"x":null}]], "number": 5, "flag": true, "nothing": null}
            """;

    @Test
    void readsApiVersionKindAndMetadataAndSkipsTheRest() {
        GenericKubernetesResource partial = AnswerMetadata.read(ANSWER.getBytes(StandardCharsets.UTF_8));
        GenericKubernetesResource full = new KubernetesSerialization().unmarshal(ANSWER, GenericKubernetesResource.class);
        assertEquals("apps/v1", partial.getApiVersion());
        assertEquals("Deployment", partial.getKind());
        assertEquals(full.getMetadata(), partial.getMetadata());
        assertTrue(partial.getAdditionalProperties().isEmpty(), "spec and status are not built");
        assertEquals(Fingerprint.of(full, "dm-reconciler"), Fingerprint.of(partial, "dm-reconciler"));
        assertEquals(64 / 2, Fingerprint.of(partial, "dm-reconciler").length());
    }

    @Test
    void anAnswerThatIsNotAnObjectIsAnError() {
        assertThrows(IllegalStateException.class, () -> AnswerMetadata.read("[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalStateException.class, () -> AnswerMetadata.read("{\"kind\":".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pathsOfNamespacedClusterScopedAndGroupedTypes() {
        ResourceDefinitionContext cm = new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1")
                .withKind("ConfigMap").withPlural("configmaps").withNamespaced(true).build();
        ResourceDefinitionContext crb = new ResourceDefinitionContext.Builder().withGroup("rbac.authorization.k8s.io")
                .withVersion("v1").withKind("ClusterRoleBinding").withPlural("clusterrolebindings").withNamespaced(false).build();
        assertEquals("/api/v1/namespaces/team/configmaps/a.b", RawApi.path(cm, "team", "a.b"));
        assertEquals("/api/v1/configmaps", RawApi.path(cm, null, null));
        assertEquals("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system%3Ax",
                RawApi.path(crb, "ignored", "system:x"));
    }
}
