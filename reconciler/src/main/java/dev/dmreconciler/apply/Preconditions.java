package dev.dmreconciler.apply;

import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.plan.Change;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The seed's preconditions for a Data Manager namespace (as site_dm.yaml checks them): the namespace exists,
 * and so does every object the bundle requires there (the Data Manager's ServiceAccount). Checked with one
 * LIST per kind for all namespaces at once, not a GET per namespace, so 300 namespaces cost 2 reads.
 */
final class Preconditions {

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final Environment environment;
    private Set<String> namespaces;
    private final Map<Bundle.Precondition, Set<String>> present = new HashMap<>();

    Preconditions(KubernetesClient client, ResourceTypes types, Environment environment) {
        this.client = client;
        this.types = types;
        this.environment = environment;
    }

    /** Why nothing may be applied in the namespace, or null when it is ready. */
    synchronized String problem(String namespace, List<Change> changes) {
        try {
            if (namespaces == null) {
                namespaces = names(client.namespaces().list().getItems());
            }
            if (!namespaces.contains(namespace)) {
                return "precondition failed: namespace " + namespace + " does not exist";
            }
            for (AppInstance app : environment.apps()) {
                if (changes.stream().noneMatch(c -> c.application().equals(app.name()))) {
                    continue;
                }
                for (Bundle.Precondition required : app.bundle().namespacePreconditions()) {
                    if (!present.computeIfAbsent(required, this::namespacesHaving).contains(namespace)) {
                        return "precondition failed: " + required.kind() + " " + namespace + "/" + required.name()
                                + " does not exist (required by " + app.name() + ")";
                    }
                }
            }
            return null;
        } catch (KubernetesClientException | IllegalStateException e) {
            return "precondition check failed: " + ApiErrors.describe(e);
        }
    }

    private Set<String> namespacesHaving(Bundle.Precondition required) {
        ResourceDefinitionContext type = types.require(required.apiVersion(), required.kind());
        List<GenericKubernetesResource> items = client.genericKubernetesResources(type).inAnyNamespace()
                .withField("metadata.name", required.name()).list().getItems();
        return items.stream().map(i -> i.getMetadata().getNamespace()).collect(Collectors.toSet());
    }

    private static Set<String> names(List<? extends HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).collect(Collectors.toSet());
    }
}
