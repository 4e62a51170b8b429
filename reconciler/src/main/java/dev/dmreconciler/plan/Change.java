package dev.dmreconciler.plan;

import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;

/**
 * One object's planned change.
 *
 * @param action      what the pass intends, in the result vocabulary (created, configured, unchanged, adopted,
 *                    refused, deleted, kept, failed)
 * @param scope       the Data Manager namespace the object belongs to, or null for operator scope
 * @param apiVersion  the version to address it with
 * @param desired     the stamped desired object (null for deleted/kept); of an unchanged object only its
 *                    {@link #identityOf identity} (kind, name, labels, annotations: the hash the inventory and the
 *                    drift watch record), as nothing is written from it
 * @param live        the object as the cluster has it (null when absent); for adopted/refused the foreign object
 * @param reason      why, typed
 * @param message     why, in words a person understands ("desired content changed", "drift: …")
 * @param fingerprint the live object's managed-fields {@link Fingerprint} as the plan computed it (so an unchanged
 *                    object's inventory entry needs no second computation), or null when not computed
 * @param secretPaths where the desired object holds one of its environment's secret values (JSON pointers, never
 *                    values; {@code Stamp.Stamped}): recorded in the inventory entry for a later live diff
 */
public record Change(ObjectKey key, String apiVersion, Outcome action, String application, String scope,
                     Map<String, Object> desired, GenericKubernetesResource live, Reason reason, String message,
                     String fingerprint, java.util.List<String> secretPaths) {

    public Change {
        secretPaths = secretPaths == null ? java.util.List.of() : secretPaths;
    }

    /** A change of an object that holds no secret value of its environment. */
    public Change(ObjectKey key, String apiVersion, Outcome action, String application, String scope,
                  Map<String, Object> desired, GenericKubernetesResource live, Reason reason, String message,
                  String fingerprint) {
        this(key, apiVersion, action, application, scope, desired, live, reason, message, fingerprint, java.util.List.of());
    }

    /** A change whose live fingerprint was not computed (removals, changes made outside the planner). */
    public Change(ObjectKey key, String apiVersion, Outcome action, String application, String scope,
                  Map<String, Object> desired, GenericKubernetesResource live, Reason reason, String message) {
        this(key, apiVersion, action, application, scope, desired, live, reason, message, null);
    }

    /**
     * What an unchanged object's change keeps of its stamped body: apiVersion, kind and the metadata's name,
     * namespace, labels and annotations (the hash, the lifecycle and adoption marks), not the content. Why: a pass
     * holds its plan until it ends, and at 3,000 namespaces the full bodies of its 9,000 unchanged objects were
     * ≈ 20 MB that outlived a young collection and were promoted on every pass.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> identityOf(Map<String, Object> stamped) {
        Map<String, Object> metadata = (Map<String, Object>) stamped.get("metadata");
        Map<String, Object> keptMetadata = new java.util.LinkedHashMap<>(8);
        for (String field : new String[] {"name", "namespace", "labels", "annotations"}) {
            if (metadata != null && metadata.containsKey(field)) {
                keptMetadata.put(field, metadata.get(field));
            }
        }
        Map<String, Object> identity = new java.util.LinkedHashMap<>(4);
        identity.put("apiVersion", stamped.get("apiVersion"));
        identity.put("kind", stamped.get("kind"));
        identity.put("metadata", java.util.Collections.unmodifiableMap(keptMetadata));
        return java.util.Collections.unmodifiableMap(identity);
    }

    public String scopeName() {
        return scope == null ? Plan.OPERATOR_SCOPE : scope;
    }

    /** Whether the change removes (or declines to remove) an object that left git. */
    public boolean removal() {
        return action.removal();
    }
}
