package dev.dmreconciler.plan;

import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;

/**
 * One object's planned action.
 *
 * @param scope       the Data Manager namespace the object belongs to, or null for operator scope
 * @param apiVersion  the version to address it with
 * @param desired     the stamped desired object (null for PRUNE/KEEP)
 * @param live        the object as the cluster has it (null when absent)
 * @param reason      why, in words a person understands ("desired content changed", "drift: …")
 */
public record Change(ObjectKey key, String apiVersion, Action action, String application, String scope,
                     Map<String, Object> desired, GenericKubernetesResource live, String reason) {

    public String scopeName() {
        return scope == null ? Plan.OPERATOR_SCOPE : scope;
    }
}
