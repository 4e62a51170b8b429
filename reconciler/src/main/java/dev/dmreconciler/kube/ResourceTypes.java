package dev.dmreconciler.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the REST resource (plural, scope) of a kind through API discovery, once per apiVersion and pass.
 * A miss is not remembered: a CRD applied earlier in the same pass makes its kind appear.
 */
public final class ResourceTypes {

    private final KubernetesClient client;
    private final Map<String, APIResourceList> byApiVersion = new ConcurrentHashMap<>();

    public ResourceTypes(KubernetesClient client) {
        this.client = client;
    }

    public Optional<ResourceDefinitionContext> lookup(String apiVersion, String kind) {
        APIResourceList list = byApiVersion.get(apiVersion);
        if (list == null || find(list, kind).isEmpty()) {
            list = client.getApiResources(apiVersion);
            if (list == null) {
                return Optional.empty();
            }
            byApiVersion.put(apiVersion, list);
        }
        return find(list, kind).map(resource -> {
            int slash = apiVersion.indexOf('/');
            return new ResourceDefinitionContext.Builder()
                    .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                    .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
                    .withKind(kind)
                    .withPlural(resource.getName())
                    .withNamespaced(Boolean.TRUE.equals(resource.getNamespaced()))
                    .build();
        });
    }

    /** Like {@link #lookup} but failing with a message a person can act on. */
    public ResourceDefinitionContext require(String apiVersion, String kind) {
        return lookup(apiVersion, kind).orElseThrow(() -> new IllegalStateException(
                "the API server does not serve kind " + kind + " in " + apiVersion + " (is its CRD installed?)"));
    }

    private static Optional<APIResource> find(APIResourceList list, String kind) {
        return list.getResources().stream()
                .filter(r -> kind.equals(r.getKind()) && !r.getName().contains("/"))
                .findFirst();
    }
}
