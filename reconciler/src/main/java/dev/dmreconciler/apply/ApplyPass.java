package dev.dmreconciler.apply;

import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Planner;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.Impersonation;
import dev.dmreconciler.policy.PruneBudget;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * One full pass for a rendered environment: the policy check (no request), plan (reads only), the prune budget,
 * then apply, prune and inventory. The guard rails ({@link #guardedBy}) are separate steps around the plan, so
 * the planner and the applier know nothing of them.
 */
public final class ApplyPass {

    private final KubernetesClient client;
    private final ApplyOptions options;
    private final PrunePolicy prunePolicy;
    private final String inventoryNamespace;
    private Rules rules = Rules.DEFAULTS;
    private boolean allowMassPrune;

    public ApplyPass(KubernetesClient client, ApplyOptions options, PrunePolicy prunePolicy, String inventoryNamespace) {
        this.client = client;
        this.options = options;
        this.prunePolicy = prunePolicy;
        this.inventoryNamespace = inventoryNamespace;
    }

    /**
     * The environment's policy (allowed objects, prune budget, identity); without this call the built-in
     * defaults apply. {@code allowMassPrune} lets a pass over the prune budget delete.
     */
    public ApplyPass guardedBy(Rules rules, boolean allowMassPrune) {
        this.rules = rules;
        this.allowMassPrune = allowMassPrune;
        return this;
    }

    public ApplyReport run(DesiredState desired, String onlyApp) {
        return run(desired, onlyApp, () -> true);
    }

    /**
    /**
     * Without knowing what the other environments of the cluster want ({@link Wanted#NONE}): their inventories
     * still protect what they applied, but a move between environments in one commit is not seen. Prefer the
     * overload with {@link Wanted}.
     *
     * @param mayWrite asked before every write; false stops writing at once (see {@link Applier})
     */
    public ApplyReport run(DesiredState desired, String onlyApp, java.util.function.BooleanSupplier mayWrite) {
        return run(desired, onlyApp, mayWrite, Wanted.NONE);
    }

    /**
     * @param mayWrite  asked before every write; false stops writing at once (see {@link Applier})
     * @param elsewhere what every other environment of the cluster renders at the current revision, computed
     *                  before any delete ({@link Wanted#elsewhere}): never pruned here
     * @throws dev.dmreconciler.params.InvalidInputException when the environment violates its policy; nothing
     *         was requested
     */
    public ApplyReport run(DesiredState desired, String onlyApp, java.util.function.BooleanSupplier mayWrite,
                           Wanted elsewhere) {
        GuardOptions.enforce(rules, desired);
        // The environment's identity for everything it applies; the inventories stay the reconciler's own.
        KubernetesClient actor = Impersonation.as(client, rules.serviceAccount());
        ResourceTypes types = new ResourceTypes(actor);
        InventoryStore inventories = new InventoryStore(client, inventoryNamespace, options.fieldManager());
        Plan plan = new Planner(actor, types, inventories, options.fieldManager(), prunePolicy, options.adopt())
                .plan(desired, onlyApp, elsewhere);
        PruneBudget.Verdict budget = allowMassPrune ? new PruneBudget.Verdict(null, List.of())
                : rules.pruneBudget().check(plan, desired.absentApplications());
        ApplyReport report = new Applier(actor, types, inventories, options, mayWrite)
                .apply(PruneBudget.hold(plan, budget), desired);
        return budget.exceeded() ? heldBack(report) : report;
    }

    /** Deletions the budget held back were applied as kept; they are reported skipped, with the reason. */
    private static ApplyReport heldBack(ApplyReport report) {
        List<Result> results = report.results().stream().map(r -> r.reason() == Reason.PRUNE_BUDGET
                ? Result.of(r.change(), Outcome.SKIPPED, Reason.PRUNE_BUDGET, r.message()) : r).toList();
        return new ApplyReport(report.plan(), results, report.inventoriesWritten());
    }
}
