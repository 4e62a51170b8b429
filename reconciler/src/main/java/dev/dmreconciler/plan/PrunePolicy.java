package dev.dmreconciler.plan;

/**
 * Which kinds a pass may delete. Namespaces, CRDs and PVCs hold what users made (notebooks, data), so
 * they are deleted only when a person opts in for that kind. An application marked absent may delete the
 * Namespaces it created (that is what absent asks for), never CRDs without the opt-in. Whatever the policy, a
 * Namespace that holds objects outside the inventory, or that was adopted, is never deleted.
 */
public record PrunePolicy(boolean namespaces, boolean crds, boolean pvcs) {

    public static final PrunePolicy SAFE = new PrunePolicy(false, false, false);

    /** Why a kind may not be deleted now, or null when it may. */
    String refusal(String kind, boolean applicationAbsent) {
        return switch (kind) {
            case "Namespace" -> namespaces || applicationAbsent ? null
                    : "Namespaces are deleted only with --prune-namespaces";
            case "CustomResourceDefinition" -> crds ? null
                    : "deleting a CRD deletes every object of it (all users' notebooks); only with --prune-crds";
            case "PersistentVolumeClaim" -> pvcs ? null : "PVCs hold data; deleted only with --prune-pvcs";
            default -> null;
        };
    }
}
