package dev.dmreconciler.diff;

import dev.dmreconciler.apply.ApiErrors;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.NamespaceContents;
import dev.dmreconciler.apply.Preconditions;
import dev.dmreconciler.apply.SecretCopies;
import dev.dmreconciler.apply.SecretsUnavailable;
import dev.dmreconciler.apply.ServerSideApply;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Lifecycle;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Planner;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.Impersonation;
import dev.dmreconciler.policy.PruneBudget;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code apply} would do, computed against the cluster without changing it: the same {@link Plan}, and
 * for each object to create or update a server-side apply dry run, so that server defaults and admission
 * appear on both sides and are not noise. Objects the plan finds unchanged cost no request.
 */
public final class LiveDiff {

    private final KubernetesClient client;
    private final ApplyOptions options;
    private final PrunePolicy prunePolicy;
    private final String inventoryNamespace;
    private Rules rules = Rules.DEFAULTS;
    private boolean allowMassPrune;

    public LiveDiff(KubernetesClient client, ApplyOptions options, PrunePolicy prunePolicy, String inventoryNamespace) {
        this.client = client;
        this.options = options;
        this.prunePolicy = prunePolicy;
        this.inventoryNamespace = inventoryNamespace;
    }

    /** The environment's policy, as {@code apply} would use it: identity, prune budget (see ApplyPass). */
    public LiveDiff guardedBy(Rules rules, boolean allowMassPrune) {
        this.rules = rules;
        this.allowMassPrune = allowMassPrune;
        return this;
    }

    public EnvironmentDiff diff(DesiredState desired, String onlyApp) {
        return diff(desired, onlyApp, Wanted.NONE);
    }

    /** @param elsewhere what the other environments of the cluster render now: never deleted, as in apply */
    public EnvironmentDiff diff(DesiredState desired, String onlyApp, Wanted elsewhere) {
        GuardOptions.enforce(rules, desired);
        KubernetesClient actor = Impersonation.as(client, rules.serviceAccount());
        try {
            desired = SecretCopies.fill(actor, desired);
        } catch (SecretsUnavailable e) { // as apply would: the environment is not diffed, not shown as deleting
            return new EnvironmentDiff(desired.environment().name(), List.of(), List.of(), 0, List.of(e.getMessage()));
        }
        ResourceTypes types = new ResourceTypes(actor);
        InventoryStore inventories = new InventoryStore(client, inventoryNamespace, options.fieldManager());
        Plan plan = new Planner(actor, types, inventories, options.fieldManager(), prunePolicy, options.adopt())
                .plan(desired, onlyApp, elsewhere);
        if (!allowMassPrune) { // deletions over the budget show as kept, with the reason
            plan = PruneBudget.hold(plan, rules.pruneBudget().check(plan, desired.absentApplications()));
        }
        if (plan.changes().stream().anyMatch(c -> c.action().writes())) {
            try { // apply would stop here, before any write
                Preconditions.requireEnvironmentSecrets(actor, types, desired);
            } catch (SecretsUnavailable e) {
                return new EnvironmentDiff(desired.environment().name(), List.of(), List.of(), 0, List.of(e.getMessage()));
            }
        }
        ServerSideApply ssa = new ServerSideApply(actor, types, options.fieldManager(), options.forceConflicts());
        List<ObjectDiff> objects = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long unchanged = 0;
        for (Change change : plan.changes()) {
            try {
                ObjectDiff diff = switch (change.action()) {
                    case UNCHANGED -> null;
                    case CREATED, CONFIGURED, ADOPTED, REPLACED -> applyDiff(change, ssa, secretPaths(change, plan));
                    case DELETED -> deletion(change, plan, actor, ssa);
                    case KEPT, SKIPPED -> removal(change, body(change, ssa), ObjectDiff.Kind.KEEP, change.message(),
                            secretPaths(change, plan));
                    case REFUSED -> new ObjectDiff(change.scopeName(), change.key(), ObjectDiff.Kind.REFUSE, "", "",
                            List.of(), change.message());
                    case FAILED -> throw new IllegalStateException(change.message());
                };
                if (diff == null) {
                    unchanged++;
                } else {
                    objects.add(diff);
                }
            } catch (KubernetesClientException | IllegalStateException e) {
                errors.add(change.key() + ": " + ApiErrors.describe(e));
            }
        }
        return new EnvironmentDiff(plan.environment(), List.of(), objects, unchanged, errors,
                dev.dmreconciler.plan.ScopeLabel.of(desired.environment()));
    }

    /**
     * Where the live object may hold a secret value of its environment: the places its inventory entry recorded when
     * it was applied (the secret may have left git since), and those where the wanted object holds one now.
     */
    private static List<String> secretPaths(Change change, Plan plan) {
        Inventory inventory = plan.previous().get(change.application());
        Inventory.Entry entry = inventory == null ? null : inventory.entries().get(change.key());
        List<String> recorded = entry == null ? List.of() : entry.secretPaths();
        if (change.secretPaths().isEmpty()) {
            return recorded;
        }
        Set<String> both = new LinkedHashSet<>(recorded);
        both.addAll(change.secretPaths());
        return List.copyOf(both);
    }

    /** Dry-run apply; null when the result equals the live object (nothing would change). */
    private ObjectDiff applyDiff(Change change, ServerSideApply ssa, List<String> secretPaths) {
        GenericKubernetesResource live = body(change, ssa);
        String note = change.message(); // adopted: the plan read the existing object (change.live())
        ServerSideApply.Applied applied;
        try {
            applied = ssa.apply(change, true);
        } catch (KubernetesClientException e) {
            List<String> fields = ApiErrors.immutableFields(e);
            if (live == null || fields.isEmpty() || !replaces(change)) {
                throw e;
            }
            return replacement(change, live, fields, secretPaths);
        }
        String[] yaml = DisplayYaml.pair(live == null ? null : asMap(live), asMap(applied.object()), secretPaths);
        if (yaml[0].equals(yaml[1]) && applied.conflicts().isEmpty()) {
            return null;
        }
        ObjectDiff.Kind kind = change.action() == Outcome.ADOPTED ? ObjectDiff.Kind.ADOPT
                : live == null ? ObjectDiff.Kind.CREATE : ObjectDiff.Kind.UPDATE;
        return new ObjectDiff(change.scopeName(), change.key(), kind, yaml[0], yaml[1], applied.conflicts(), note);
    }

    private static boolean replaces(Change change) {
        try {
            return Lifecycle.replaces(Lifecycle.of(change.desired()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * An immutable field changes under lifecycle {@code recreate}: apply would delete the object and create it
     * again. A dry run cannot show the new object (the server refuses the patch, and a dry-run create of an
     * existing name is a conflict), so the after side is the live object with the desired content laid over it
     * ({@link Overlay}): the server's defaults stay on both sides and only what the templates change shows.
     */
    private ObjectDiff replacement(Change change, GenericKubernetesResource live, List<String> fields,
                                   List<String> secretPaths) {
        Map<String, Object> before = asMap(live);
        String[] yaml = DisplayYaml.pair(before, Overlay.over(before, change.desired()), secretPaths);
        return new ObjectDiff(change.scopeName(), change.key(), ObjectDiff.Kind.REPLACE, yaml[0], yaml[1], List.of(),
                "immutable field " + String.join(", ", fields) + " changes: deleted and created again (lifecycle recreate)");
    }

    /**
     * The whole live object of a change the diff shows: the plan read metadata only ({@code LiveObjects}), so the
     * body is read here, one GET per shown change; null when absent (also when it went away since the plan).
     */
    private static GenericKubernetesResource body(Change change, ServerSideApply ssa) {
        return change.live() == null ? null : ssa.get(change);
    }

    /**
     * What apply would do with a planned deletion: a Namespace holding objects outside the inventory is kept (the
     * prune step reads its contents right before deleting; so does the diff, with the same LISTs and words).
     */
    private ObjectDiff deletion(Change change, Plan plan, KubernetesClient actor, ServerSideApply ssa) {
        String kept = NamespaceContents.keptBecause(actor, change.key(), plan.inventoried());
        if (kept != null) {
            return removal(change, body(change, ssa), ObjectDiff.Kind.KEEP, kept, secretPaths(change, plan));
        }
        return removal(change, body(change, ssa), ObjectDiff.Kind.DELETE, change.message(), secretPaths(change, plan));
    }

    private ObjectDiff removal(Change change, GenericKubernetesResource live, ObjectDiff.Kind kind, String note,
                               List<String> secretPaths) {
        String[] yaml = DisplayYaml.pair(live == null ? null : asMap(live), null, secretPaths);
        return new ObjectDiff(change.scopeName(), change.key(), kind, yaml[0], kind == ObjectDiff.Kind.KEEP ? yaml[0] : "",
                List.of(), note);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(GenericKubernetesResource object) {
        return client.getKubernetesSerialization().convertValue(object, Map.class);
    }
}
