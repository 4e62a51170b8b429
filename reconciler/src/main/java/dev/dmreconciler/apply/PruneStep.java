package dev.dmreconciler.apply;

import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Planner;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Deletes what left git, so that it can never delete what is wanted:
 * <ul>
 *   <li>a scope's prunes wait for that scope, and for the scope that now renders an object of the same kind and
 *       name (a move to a namespace whose precondition fails keeps the old objects);</li>
 *   <li>right before deleting, the object is read again: it must still be the object planned (same UID) and
 *       carry the reconciler's marks for this application and environment; the delete carries a UID
 *       precondition, so an object re-created in between is never deleted;</li>
 *   <li>a Namespace holding objects outside the inventory (a person's ConfigMap, a user's custom resource) is
 *       kept, naming them.</li>
 * </ul>
 */
final class PruneStep {

    private final KubernetesClient client;
    private final ObjectStep objects;
    private final Plan plan;
    private final BooleanSupplier mayWrite;

    PruneStep(KubernetesClient client, ObjectStep objects, Plan plan, BooleanSupplier mayWrite) {
        this.client = client;
        this.objects = objects;
        this.plan = plan;
        this.mayWrite = mayWrite;
    }

    /** Identity of an object across scopes, for moves: application, group, kind and name (not the namespace). */
    static String moveKey(Change change) {
        return change.application() + "|" + change.key().group() + "|" + change.key().kind() + "|" + change.key().name();
    }

    List<Result> prune(String scope, List<Change> removals, Set<String> failedScopes, Map<String, String> movedTo) {
        String blockedHere = failedScopes.contains(scope) ? "not pruned: "
                + (scope.equals(Plan.OPERATOR_SCOPE) ? "the environment scope" : "namespace " + scope) + " had failures" : null;
        return removals.stream().sorted(Planner.deletionOrder()).map(change -> {
            if (change.action() != Outcome.DELETED) {
                if (change.reason() == Reason.MERGED_CREATE) { // someone else's object a create left our marks on
                    return released(change);
                }
                return Result.asPlanned(change); // kept, or skipped because what is wanted is unknown
            }
            if (blockedHere != null) {
                return Result.of(change, Outcome.SKIPPED, Reason.PRUNE_BLOCKED, blockedHere);
            }
            String target = movedTo.get(moveKey(change));
            if (target != null) {
                return Result.of(change, Outcome.SKIPPED, Reason.PRUNE_BLOCKED, "not pruned: now rendered in "
                        + (target.equals(Plan.OPERATOR_SCOPE) ? "the environment scope" : "namespace " + target)
                        + ", which did not converge (the old object stays until the new one is applied)");
            }
            return deleteOne(change);
        }).toList();
    }

    /**
     * Someone else's object that a create of a pass that did not finish merged into ({@code Decisions.pendingRemoval}):
     * never deleted; the fields that create wrote (the reconciler's marks) are given up again, bound to its UID, and it
     * leaves the inventory (kept, no longer ours). When that cannot be done (writing stopped, the release failed) it
     * fails and its pending entry stays, naming the object.
     */
    private Result released(Change change) {
        Result released = objects.release(change);
        if (released.outcome() != Outcome.REFUSED) {
            return released;
        }
        return Result.of(change, Outcome.KEPT, Reason.NO_LONGER_OURS, released.message()
                .replaceFirst("\\. To take it over: .*$", "") + "; no longer in the inventory");
    }

    private Result deleteOne(Change change) {
        if (!mayWrite.getAsBoolean()) {
            return Result.of(change, Outcome.SKIPPED, Reason.WRITING_STOPPED, Applier.WRITING_STOPPED);
        }
        try {
            GenericKubernetesResource live = objects.serverSideApply().get(change);
            if (live == null) {
                return Result.of(change, Outcome.DELETED, Reason.NO_LONGER_DESIRED, "already gone");
            }
            String notOurs = notOurs(change, live);
            if (notOurs != null) {
                return Result.of(change, Outcome.KEPT, Reason.NO_LONGER_OURS, "not deleted: " + notOurs);
            }
            String kept = NamespaceContents.keptBecause(client, change.key(), plan.inventoried());
            if (kept != null) {
                return Result.of(change, Outcome.KEPT, Reason.NAMESPACE_NOT_EMPTY, kept);
            }
            if (!mayWrite.getAsBoolean()) {
                return Result.of(change, Outcome.SKIPPED, Reason.WRITING_STOPPED, Applier.WRITING_STOPPED);
            }
            objects.serverSideApply().delete(change, live.getMetadata().getUid(), false);
            return Result.of(change, Outcome.DELETED, change.reason(), change.message());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Result.of(change, Outcome.KEPT, Reason.NO_LONGER_OURS,
                        "not deleted: replaced by another object of the same name since it was read (UID precondition)");
            }
            return Result.of(change, Outcome.FAILED, Reason.API_ERROR, ApiErrors.describe(e));
        } catch (RuntimeException e) {
            return Result.of(change, Outcome.FAILED, Reason.INTERNAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Why the object as it is now is not the one to delete, or null. */
    private String notOurs(Change change, GenericKubernetesResource live) {
        return notOurs(change, live, plan.environment());
    }

    /**
     * Why the object as it is now is not the one the plan decided to delete (prune, or the delete of a replacement),
     * or null: it must carry our mark, belong to the change's application and environment, and be the very object
     * the plan read (same UID).
     */
    static String notOurs(Change change, GenericKubernetesResource live, String planEnvironment) {
        Map<String, String> labels = live.getMetadata().getLabels();
        if (!Stamp.managedByUs(labels)) {
            return "it no longer carries the label " + Stamp.MANAGED_BY + "=" + Stamp.MANAGER;
        }
        if (!change.application().equals(labels.get(Stamp.APPLICATION))) {
            return "it now belongs to application " + labels.get(Stamp.APPLICATION);
        }
        if (change.live() != null && !Objects.equals(change.live().getMetadata().getUid(), live.getMetadata().getUid())) {
            return "it was deleted and created again since it was planned";
        }
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        String environment = annotations == null ? null : annotations.get(Stamp.ENVIRONMENT);
        if (environment != null && planEnvironment != null && !environment.equals(planEnvironment)) {
            return "it is now applied by environment " + environment;
        }
        return null;
    }
}
