package dev.dmreconciler.resource;

import java.util.List;
import java.util.Set;

/**
 * The order objects are rendered and applied in, and which kinds are cluster-scoped.
 *
 * <p>Definitions come before what uses them: CRDs, then Namespaces, cluster RBAC, ServiceAccounts,
 * namespaced RBAC, configuration, services, workloads, and custom resources last (their CRD must be
 * served first). Deletion runs in the reverse order.
 */
public final class KindOrder {

    private static final List<Set<String>> STAGES = List.of(
            Set.of("CustomResourceDefinition"),
            Set.of("Namespace"),
            Set.of("PriorityClass", "StorageClass", "IngressClass"),
            Set.of("ClusterRole"),
            Set.of("ClusterRoleBinding"),
            Set.of("ServiceAccount"),
            Set.of("Role"),
            Set.of("RoleBinding"),
            Set.of("ResourceQuota", "LimitRange", "NetworkPolicy"),
            Set.of("Secret"),
            Set.of("ConfigMap"),
            Set.of("PersistentVolumeClaim"),
            Set.of("Service"),
            Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"),
            Set.of("HorizontalPodAutoscaler", "PodDisruptionBudget"),
            Set.of("Ingress"),
            Set.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService"));

    private static final Set<String> BUILTIN_GROUPS = Set.of("", "apps", "batch", "rbac.authorization.k8s.io",
            "networking.k8s.io", "policy", "autoscaling", "scheduling.k8s.io", "storage.k8s.io",
            "apiextensions.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io", "extensions");

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "PriorityClass", "StorageClass", "IngressClass", "PersistentVolume",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "Node");

    private KindOrder() {
    }

    /** Rank of a kind; custom resources (unknown group) come after every built-in kind. */
    public static int rank(String group, String kind) {
        if (BUILTIN_GROUPS.contains(group)) {
            Integer rank = RANKS.get(kind);
            if (rank != null) {
                return rank;
            }
        }
        return STAGES.size();
    }

    /** Stage of each built-in kind: rank is asked twice per comparison of two ObjectKeys (sorted maps, sorts). */
    private static final java.util.Map<String, Integer> RANKS = ranks();

    private static java.util.Map<String, Integer> ranks() {
        java.util.Map<String, Integer> ranks = new java.util.HashMap<>();
        for (int i = 0; i < STAGES.size(); i++) {
            for (String kind : STAGES.get(i)) {
                ranks.put(kind, i);
            }
        }
        return java.util.Map.copyOf(ranks);
    }

    /** Whether a built-in kind is cluster-scoped. Custom kinds are treated as namespaced. */
    public static boolean isClusterScoped(String group, String kind) {
        return BUILTIN_GROUPS.contains(group) && CLUSTER_SCOPED.contains(kind);
    }
}
