package dev.dmreconciler.plan;

import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * Where the {@link Planner} reads the cluster as it is. One-shot commands read the API server
 * ({@link #of(KubernetesClient)}); {@code run} may answer from a watch cache so that a pass with nothing changed
 * costs no request. Both must give the same answers: the planner's decisions do not know where they came from.
 */
public interface LiveObjects {

    /** This application's objects of one type, in every namespace, selected by the reconciler's labels. */
    List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application);

    /** The object of that name as it is, ours or not; null when absent. */
    GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key);

    /** Straight from the API server: one LIST per type, one GET per name. */
    static LiveObjects of(KubernetesClient client) {
        return new ApiLiveObjects(client);
    }
}
