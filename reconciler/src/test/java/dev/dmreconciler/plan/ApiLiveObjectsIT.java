package dev.dmreconciler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.policy.Impersonation;
import dev.dmreconciler.policy.ServiceAccountRef;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one-shot {@link LiveObjects} against a real API server: metadata only, selected, counted, impersonated. */
class ApiLiveObjectsIT {

    private static RealApiServer server;
    private static KubernetesClient client;
    private static final RequestCounter counter = new RequestCounter();
    private static KubernetesClient counted;
    private static ResourceDefinitionContext configMaps;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client();
        counted = server.client(counter);
        for (String ns : List.of("lo-a", "lo-b")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        configMap("lo-a", "ours", Map.of(Stamp.MANAGED_BY, Stamp.MANAGER, Stamp.APPLICATION, "app"));
        configMap("lo-b", "ours-too", Map.of(Stamp.MANAGED_BY, Stamp.MANAGER, Stamp.APPLICATION, "app"));
        configMap("lo-a", "other-app", Map.of(Stamp.MANAGED_BY, Stamp.MANAGER, Stamp.APPLICATION, "other"));
        configMap("lo-a", "not-ours", Map.of());
        configMaps = new ResourceTypes(client).require("v1", "ConfigMap");
    }

    private static void configMap(String namespace, String name, Map<String, String> labels) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).withLabels(labels).withAnnotations(Map.of(Stamp.HASH, "h-" + name))
                .endMetadata().withData(Map.of("secret-ish", "body-" + name)).build()).serverSideApply();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void oursListsTheApplicationsObjectsInEveryNamespaceWithMetadataOnly() {
        counter.reset();
        List<GenericKubernetesResource> ours = LiveObjects.of(counted).ours(configMaps, "app");
        assertEquals(1, counter.reads(), "one LIST: " + counter.snapshot());
        assertEquals(0, counter.writes());
        assertEquals(List.of("lo-a/ours", "lo-b/ours-too"), ours.stream()
                .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).sorted().toList());
        for (GenericKubernetesResource o : ours) {
            assertEquals("v1", o.getApiVersion());
            assertEquals("ConfigMap", o.getKind());
            assertFalse(o.getAdditionalProperties().containsKey("data"), "no body: " + o.getAdditionalProperties());
            assertNotNull(o.getMetadata().getUid());
            assertNotNull(o.getMetadata().getResourceVersion());
            assertEquals("app", o.getMetadata().getLabels().get(Stamp.APPLICATION));
            assertTrue(o.getMetadata().getAnnotations().get(Stamp.HASH).startsWith("h-"));
            assertFalse(o.getMetadata().getManagedFields().isEmpty(), "managed fields come along (the fingerprint)");
            assertFalse(Fingerprint.of(o, "fabric8").isEmpty(), "the fingerprint is computed from the partial object");
        }
    }

    @Test
    void getReadsAnyObjectOfThatNameMetadataOnlyAndNullWhenAbsent() {
        LiveObjects live = LiveObjects.of(client);
        GenericKubernetesResource foreign = live.get(configMaps, new ObjectKey("", "ConfigMap", "lo-a", "not-ours"));
        assertNotNull(foreign);
        assertEquals("ConfigMap", foreign.getKind());
        assertFalse(foreign.getAdditionalProperties().containsKey("data"));
        assertEquals(List.of("fabric8"), Fingerprint.otherManagers(foreign, "dm-reconciler"));
        assertNull(live.get(configMaps, new ObjectKey("", "ConfigMap", "lo-a", "absent")));
        assertNull(live.get(configMaps, new ObjectKey("", "ConfigMap", "no-such-namespace", "absent")));
        ResourceDefinitionContext namespaces = new ResourceTypes(client).require("v1", "Namespace");
        GenericKubernetesResource ns = live.get(namespaces, new ObjectKey("", "Namespace", null, "lo-b"));
        assertEquals("lo-b", ns.getMetadata().getName());
    }

    @Test
    void manyNamesOfOneTypeAreFoundWithOneListAndFewWithAGetEach() {
        for (int i = 0; i < 20; i++) {
            configMap(i % 2 == 0 ? "lo-a" : "lo-b", "many-" + i, Map.of());
        }
        List<ObjectKey> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) { // 20 exist, 4 do not
            keys.add(new ObjectKey("", "ConfigMap", i % 2 == 0 ? "lo-a" : "lo-b", "many-" + i));
        }
        counter.reset();
        Map<ObjectKey, GenericKubernetesResource> found = LiveObjects.of(counted).existing(configMaps, keys);
        assertEquals(1, counter.reads(), "one LIST for 24 names: " + counter.snapshot());
        assertEquals(java.util.Set.copyOf(keys.subList(0, 20)), found.keySet());
        found.forEach((key, object) -> {
            assertEquals(key.name(), object.getMetadata().getName());
            assertEquals(key.namespace(), object.getMetadata().getNamespace());
            assertEquals("ConfigMap", object.getKind());
            assertFalse(object.getAdditionalProperties().containsKey("data"));
        });

        counter.reset();
        Map<ObjectKey, GenericKubernetesResource> paged = new ApiLiveObjects(counted, 3, 50).existing(configMaps, keys);
        assertEquals(found.keySet(), paged.keySet(), "the same, read in pages of 3");
        assertTrue(counter.reads() >= 8, "every page was read: " + counter.snapshot());

        counter.reset(); // a type far larger than what is asked for: the first page, then a GET per name not on it
        Map<ObjectKey, GenericKubernetesResource> big = new ApiLiveObjects(counted, 3, 0).existing(configMaps, keys);
        assertEquals(found.keySet(), big.keySet(), "the same, read by GETs after the first page");
        assertTrue(counter.reads() >= 1 + keys.size() - 3 && counter.reads() <= 1 + keys.size(),
                "one page of 3, then a GET for each name not on it: " + counter.snapshot());

        List<ObjectKey> inOne = keys.stream().filter(k -> k.namespace().equals("lo-a")).toList(); // 12: GETs
        counter.reset();
        assertEquals(10, LiveObjects.of(counted).existing(configMaps, inOne).size());
        assertEquals(12, counter.reads(), "few names: a GET each");
    }

    @Test
    void requestsCarryTheClientsImpersonationAndErrorsAreTheClientsExceptions() {
        KubernetesClient nobody = Impersonation.as(client, new ServiceAccountRef("lo-a", "nobody"));
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> LiveObjects.of(nobody).ours(configMaps, "app"));
        assertEquals(403, e.getCode());
        assertTrue(e.getStatus().getMessage().contains("system:serviceaccount:lo-a:nobody"), e.getStatus().getMessage());
        KubernetesClientException get = assertThrows(KubernetesClientException.class,
                () -> LiveObjects.of(nobody).get(configMaps, new ObjectKey("", "ConfigMap", "lo-a", "ours")));
        assertEquals(403, get.getCode());
    }
}
