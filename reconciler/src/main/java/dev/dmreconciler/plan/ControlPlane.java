package dev.dmreconciler.plan;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.Set;

/**
 * What the Kubernetes control plane writes to and makes, for {@link Decisions}' question "who made this object": its
 * writes to objects others made are no maker's, its writes to objects of its own are.
 */
final class ControlPlane {

    private ControlPlane() {
    }

    /**
     * The field managers of the Kubernetes control plane itself. They write to objects others made, within
     * milliseconds of their creation (the Deployment controller's revision annotation, the token controller's
     * ServiceAccount {@code secrets} before 1.24, a PVC's binding, and before 1.22 every status write, recorded without
     * its subresource: a CRD's by the API server, a Deployment's or a Job's by the controller manager), and make only
     * objects of their own ({@link #touch}). Another distribution's controllers have other names and count
     * as anyone else (the safe side: "cannot tell").
     */
    static final Set<String> MANAGERS = Set.of("kube-controller-manager", "kube-apiserver", "kube-scheduler");

    /**
     * Whether a managed-fields entry is the control plane's write to an object it did not make: its manager is the
     * control plane's ({@link #MANAGERS}) and the object is none of those the control plane makes while a cluster
     * runs: a controller's children (an owner reference: ReplicaSets, Pods, a CronJob's Jobs, EndpointSlices), a
     * namespace's {@code default} ServiceAccount and {@code kube-root-ca.crt}, token Secrets, Endpoints, Leases, Events,
     * provisioned PersistentVolumes, a StatefulSet's claims, PriorityClasses, or its bootstrap objects ({@code kube-*},
     * {@code system:*}, {@code kubernetes}, the admin/edit/view/cluster-admin roles, and anything in kube-system,
     * kube-public or kube-node-lease, such as {@code extension-apiserver-authentication}).
     */
    static boolean touch(GenericKubernetesResource object, ManagedFieldsEntry entry) {
        if (entry.getManager() == null || !MANAGERS.contains(entry.getManager())) {
            return false;
        }
        String kind = object.getKind() == null ? "" : object.getKind();
        String name = object.getMetadata().getName() == null ? "" : object.getMetadata().getName();
        String namespace = object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace();
        boolean owned = object.getMetadata().getOwnerReferences() != null && !object.getMetadata().getOwnerReferences().isEmpty();
        return !owned && !KINDS.contains(kind) && !name.equals("default") && !name.equals("kubernetes")
                && !name.equals("kube-root-ca.crt") && !name.startsWith("kube-") && !name.startsWith("system:")
                && !(kind.startsWith("ClusterRole") && BOOTSTRAP_ROLES.contains(name))
                && !NAMESPACES.contains(namespace);
    }

    /**
     * Kinds the control plane makes without an owner reference: a StatefulSet's PersistentVolumeClaims (made by its
     * controller from the claim templates, not owned), PersistentVolumes, the API server's PriorityClasses, and the rest.
     */
    private static final Set<String> KINDS = Set.of("Secret", "Endpoints", "EndpointSlice", "Lease",
            "Event", "PersistentVolume", "PersistentVolumeClaim", "PriorityClass", "ReplicaSet", "Pod", "ControllerRevision");
    /** The API server's bootstrap ClusterRoles (and cluster-admin's binding) without a system: prefix. */
    private static final Set<String> BOOTSTRAP_ROLES = Set.of("admin", "edit", "view", "cluster-admin");
    /**
     * The control plane's own namespaces (extension-apiserver-authentication and the like). Not every kube-*
     * namespace: kube-monitoring and the like are people's, where a write of the Deployment controller must stay
     * no maker's (or the reconciler's own Deployment there could never heal after a stopped pass).
     */
    private static final Set<String> NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");
}
