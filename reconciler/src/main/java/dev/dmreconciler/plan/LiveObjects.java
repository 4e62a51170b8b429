package dev.dmreconciler.plan;

import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the {@link Planner} reads the cluster as it is. One-shot commands read the API server
 * ({@link #of(KubernetesClient)}); {@code run} may answer from a watch cache so that a pass with nothing changed
 * costs no request. Both must give the same answers: the planner's decisions do not know where they came from.
 *
 * <h2>Contract: metadata only</h2>
 * The objects returned by {@link #ours} and {@link #get} need carry only their {@code apiVersion}, {@code kind}
 * and these {@code metadata} fields: {@code name, namespace, uid, resourceVersion, generation, labels,
 * annotations, managedFields, ownerReferences, finalizers, deletionTimestamp}. Nothing of the planner, the
 * decision table ({@link Decisions}), the {@link Fingerprint}, the applier or the pruner reads more of a live
 * object (no {@code spec}, {@code data}, {@code status}): an implementation may hold
 * {@code PartialObjectMetadata} (as {@link ApiLiveObjects} reads it, and as a metadata-only informer keeps
 * it). It may also return full objects; nobody may rely on that. Whoever needs a body — the live diff shows it
 * — reads the object itself, for the objects it shows ({@code diff.LiveDiff} does one GET per shown change).
 *
 * <p>Other rules every implementation keeps:
 * <ul>
 *   <li>{@link #ours} answers as of the moment of the call (or a moment the cache has seen since the last
 *       write this process made): a plan made from an answer older than the process's own last write would
 *       re-apply what it just applied;</li>
 *   <li>{@link #ours} selects with the labels {@code app.kubernetes.io/managed-by=dm-reconciler,
 *       dm-reconciler.dev/application=<application>} — every environment's objects of the application; the
 *       planner tells them apart by their inventories and annotations;</li>
 *   <li>the objects returned are not modified by the caller and must not be modified by the implementation
 *       afterwards (a cache hands out its own copy or an immutable snapshot);</li>
 *   <li>{@link #get} returns null for an absent object; errors other than "not found" are thrown as the
 *       client's {@code KubernetesClientException}.</li>
 * </ul>
 */
public interface LiveObjects {

    /** This application's objects of one type, in every namespace, selected by the reconciler's labels. */
    List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application);

    /** The object of that name as it is, ours or not; null when absent. Metadata only (see above). */
    GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key);

    /**
     * An object of the application's inventory that {@link #ours} did not list, read again wherever that listing
     * may lag the cluster (a watch cache): the object when it exists and still carries the application's marks,
     * else null. The planner asks before it concludes an object is gone (and drops it from the inventory, so it
     * is never pruned): absence is never taken from a cache. The API server's own listing is current: null.
     */
    default GenericKubernetesResource recheck(ResourceDefinitionContext type, ObjectKey key, String application) {
        return null;
    }

    /**
     * The objects of these names (all of one type) as they are, ours or not; absent ones are not in the map.
     * Metadata only. The planner asks once per type for every object it would create. By default one
     * {@link #get} per name; the API server implementation LISTs the type instead when there are many.
     */
    default Map<ObjectKey, GenericKubernetesResource> existing(ResourceDefinitionContext type, Collection<ObjectKey> keys) {
        Map<ObjectKey, GenericKubernetesResource> found = new HashMap<>();
        for (ObjectKey key : keys) {
            GenericKubernetesResource object = get(type, key);
            if (object != null) {
                found.put(key, object);
            }
        }
        return found;
    }

    /** Straight from the API server, metadata only: one LIST per type, one GET per name (a LIST for many names). */
    static LiveObjects of(KubernetesClient client) {
        return new ApiLiveObjects(client);
    }
}
