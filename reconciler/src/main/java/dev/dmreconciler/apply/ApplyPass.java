package dev.dmreconciler.apply;

import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Planner;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import io.fabric8.kubernetes.client.KubernetesClient;

/** One full pass for a rendered environment: plan (reads only), then apply, prune and inventory. */
public final class ApplyPass {

    private final KubernetesClient client;
    private final ApplyOptions options;
    private final PrunePolicy prunePolicy;
    private final String inventoryNamespace;

    public ApplyPass(KubernetesClient client, ApplyOptions options, PrunePolicy prunePolicy, String inventoryNamespace) {
        this.client = client;
        this.options = options;
        this.prunePolicy = prunePolicy;
        this.inventoryNamespace = inventoryNamespace;
    }

    public ApplyReport run(DesiredState desired, String onlyApp) {
        return run(desired, onlyApp, () -> true);
    }

    /** @param mayWrite asked before every write; false stops writing at once (see {@link Applier}) */
    public ApplyReport run(DesiredState desired, String onlyApp, java.util.function.BooleanSupplier mayWrite) {
        ResourceTypes types = new ResourceTypes(client);
        InventoryStore inventories = new InventoryStore(client, inventoryNamespace, options.fieldManager());
        Plan plan = new Planner(client, types, inventories, options.fieldManager(), prunePolicy).plan(desired, onlyApp);
        return new Applier(client, types, inventories, options, mayWrite).apply(plan, desired.environment());
    }
}
