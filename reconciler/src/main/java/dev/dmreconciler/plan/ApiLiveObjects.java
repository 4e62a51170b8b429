package dev.dmreconciler.plan;

import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/** {@link LiveObjects} read from the API server on every call. */
final class ApiLiveObjects implements LiveObjects {

    private final KubernetesClient client;

    ApiLiveObjects(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application) {
        Map<String, String> selector = Map.of(Stamp.MANAGED_BY, Stamp.MANAGER, Stamp.APPLICATION, application);
        var resources = client.genericKubernetesResources(type);
        return type.isNamespaceScoped()
                ? resources.inAnyNamespace().withLabels(selector).list().getItems()
                : resources.withLabels(selector).list().getItems();
    }

    @Override
    public GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key) {
        var resources = client.genericKubernetesResources(type);
        return (type.isNamespaceScoped() ? resources.inNamespace(key.namespace()) : resources)
                .withName(key.name()).get();
    }
}
