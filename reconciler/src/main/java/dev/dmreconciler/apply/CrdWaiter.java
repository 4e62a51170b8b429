package dev.dmreconciler.apply;

import dev.dmreconciler.kube.ResourceTypes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;

/** Waits, with a deadline, until an applied CRD is Established and its storage version is served by discovery. */
final class CrdWaiter {

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final Duration timeout;

    CrdWaiter(KubernetesClient client, ResourceTypes types, Duration timeout) {
        this.client = client;
        this.types = types;
        this.timeout = timeout;
    }

    @SuppressWarnings("unchecked")
    void awaitServed(GenericKubernetesResource applied) {
        String name = applied.getMetadata().getName();
        Map<String, Object> spec = (Map<String, Object>) applied.getAdditionalProperties().get("spec");
        String group = (String) spec.get("group");
        String kind = (String) ((Map<String, Object>) spec.get("names")).get("kind");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            if (crd != null && established(crd)) {
                String version = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getStorage)
                        .map(CustomResourceDefinitionVersion::getName).findFirst().orElseThrow();
                if (types.lookup(group + "/" + version, kind).isPresent()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("CRD " + name + " was not Established and served within " + timeout.toSeconds() + "s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for CRD " + name, e);
            }
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
