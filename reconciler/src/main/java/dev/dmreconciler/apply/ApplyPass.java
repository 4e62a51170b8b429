package dev.dmreconciler.apply;

import dev.dmreconciler.inventory.EnvironmentLock;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.LiveObjects;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One full pass for a rendered environment: the policy check (no request), plan (reads only), the prune budget,
 * then apply, prune and inventory. The guard rails ({@link #guardedBy}) are separate steps around the plan, so
 * the planner and the applier know nothing of them.
 *
 * <p>A pass that has anything to write takes the environment's Lease first ({@link EnvironmentLock}), and
 * plans again when another process wrote the environment's inventory between the first plan and taking the
 * Lease; a pass with nothing to write (or whose deletions the prune budget holds) takes no Lease, so an
 * unchanged environment still costs zero writes. Before anything, the environment's identity on the cluster
 * is checked: an inventory written from another environment file of the same name refuses the pass (unless
 * {@link #source takeOver}).
 */
public final class ApplyPass {

    private final KubernetesClient client;
    private final ApplyOptions options;
    private final PrunePolicy prunePolicy;
    private final String inventoryNamespace;
    private Rules rules = Rules.DEFAULTS;
    private boolean allowMassPrune;
    private String source;
    private boolean takeOver;
    private Duration lockWait = Duration.ofSeconds(60);
    private Duration lockDuration = Duration.ofSeconds(30);
    private Function<KubernetesClient, LiveObjects> live = LiveObjects::of;
    private ResourceTypes types;
    private InventoryStore.Source inventoriesSeen;

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

    /**
     * @param source   the environment file, as recorded in its inventories ({@code environments/NAME.yaml} for an
     *                 environment of the repository, the absolute path for {@code --env-file}); null: the
     *                 environment's own file name
     * @param takeOver accept inventories recorded from another file (the environment file really moved)
     */
    public ApplyPass source(String source, boolean takeOver) {
        this.source = source;
        this.takeOver = takeOver;
        return this;
    }

    /**
     * For the long-running reconciler: where the planner reads live objects (its watch cache, given the pass's
     * client), API discovery kept across passes, and the inventories it has seen. Without this call every pass
     * reads the API server.
     */
    public ApplyPass readingFrom(Function<KubernetesClient, LiveObjects> live, ResourceTypes types,
                                 InventoryStore.Source inventories) {
        this.live = live;
        this.types = types;
        this.inventoriesSeen = inventories;
        return this;
    }

    /** How long to wait for another pass of the environment to finish, and the Lease's duration. */
    public ApplyPass lock(Duration wait, Duration duration) {
        this.lockWait = wait;
        this.lockDuration = duration;
        return this;
    }

    public ApplyReport run(DesiredState desired, String onlyApp) {
        return run(desired, onlyApp, () -> true);
    }

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
     * @throws SecretsUnavailable when the source of a Secret copy, or a Secret an environment-scope precondition
     *         references, is missing; nothing was written
     */
    public ApplyReport run(DesiredState desired, String onlyApp, BooleanSupplier mayWrite, Wanted elsewhere) {
        GuardOptions.enforce(rules, desired);
        // The environment's identity for everything it applies; the inventories and the Lease stay the reconciler's own.
        KubernetesClient actor = Impersonation.as(client, rules.serviceAccount());
        desired = SecretCopies.fill(actor, desired); // a missing source fails the environment here, before any write
        String environment = desired.environment().name();
        String claimed = source != null ? source : desired.environment().file();
        ResourceTypes types = this.types != null ? this.types : new ResourceTypes(actor);
        InventoryStore inventories = InventoryStore.forApply(client, inventoryNamespace, options.fieldManager())
                .readingFrom(inventoriesSeen);
        inventories.claim(claimed);
        checkIdentity(inventories, environment, claimed);
        Planner planner = new Planner(live.apply(actor), types, inventories, options.fieldManager(), prunePolicy,
                options.adopt());
        Budgeted plan = budgeted(planner.plan(desired, onlyApp, elsewhere), desired);
        if (!writes(plan.plan())) {
            return apply(actor, types, inventories, plan, desired, onlyApp, mayWrite);
        }
        // a pass that writes anything (a delete too) first makes sure the Secrets the environment references exist
        Preconditions.requireEnvironmentSecrets(actor, types, desired);
        Map<String, String> planned = inventories.versions(environment);
        inventories.ensureNamespace(); // the Lease lives there
        try (EnvironmentLock lock = EnvironmentLock.acquire(client, inventoryNamespace, environment,
                EnvironmentLock.identity(), lockDuration, lockWait)) {
            inventories.refresh();
            if (!inventories.versions(environment).equals(planned)) {
                checkIdentity(inventories, environment, claimed); // another pass ran meanwhile: plan from what it left
                plan = budgeted(planner.plan(desired, onlyApp, elsewhere), desired);
            }
            BooleanSupplier fenced = () -> lock.held() && mayWrite.getAsBoolean();
            return apply(actor, types, inventories, plan, desired, onlyApp, fenced);
        }
    }

    /** The plan with the deletions over the prune budget held back (as kept), and the budget's verdict. */
    private record Budgeted(Plan plan, PruneBudget.Verdict verdict) {
    }

    private Budgeted budgeted(Plan plan, DesiredState desired) {
        PruneBudget.Verdict budget = allowMassPrune ? new PruneBudget.Verdict(null, List.of())
                : rules.pruneBudget().check(plan, desired.absentApplications());
        return new Budgeted(PruneBudget.hold(plan, budget), budget);
    }

    /** The applier; warnings about applications removed from the environment. */
    private ApplyReport apply(KubernetesClient actor, ResourceTypes types, InventoryStore inventories, Budgeted plan,
                              DesiredState desired, String onlyApp, BooleanSupplier mayWrite) {
        ApplyReport report = new Applier(actor, types, inventories, options, mayWrite).apply(plan.plan(), desired);
        report = plan.verdict().exceeded() ? heldBack(report) : report;
        return report.withWarnings(removedApplications(inventories, desired, onlyApp))
                .withEnvironmentScope(dev.dmreconciler.plan.ScopeLabel.of(desired.environment()));
    }

    /** Deletions the budget held back were applied as kept; they are reported skipped, with the reason. */
    private static ApplyReport heldBack(ApplyReport report) {
        List<Result> results = report.results().stream().map(r -> r.reason() == Reason.PRUNE_BUDGET
                ? Result.of(r.change(), Outcome.SKIPPED, Reason.PRUNE_BUDGET, r.message()) : r).toList();
        return new ApplyReport(report.plan(), results, report.inventoriesWritten(), report.inventoryErrors(), report.warnings());
    }

    /** Two environment files of one name on one cluster would share inventories and prune each other. */
    private void checkIdentity(InventoryStore inventories, String environment, String claimed) {
        Map<String, String> others = inventories.otherSources(environment, claimed);
        if (!others.isEmpty() && !takeOver) {
            throw InvalidInputException.of(claimed, environment, "environment " + environment + " on this cluster is applied from "
                    + String.join(", ", new HashSet<>(others.values())) + ", not from " + claimed
                    + " (inventory of " + String.join(", ", others.keySet()) + " in namespace " + inventoryNamespace
                    + "): two environment files with one name would prune each other's objects. Rename one, or pass "
                    + "--take-over-inventory if the environment really moved to this file");
        }
    }

    /** Writes to objects, or an inventory that changes (an entry dropped, a pending entry settled). */
    static boolean writes(Plan plan) {
        Set<String> planned = new HashSet<>();
        for (Change change : plan.changes()) {
            if (change.action().writes()) {
                return true;
            }
            planned.add(change.application() + " " + change.key());
        }
        for (Inventory inventory : plan.previous().values()) {
            for (var entry : inventory.entries().entrySet()) {
                if (entry.getValue().pending() || !planned.contains(inventory.application() + " " + entry.getKey())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Applications that have an inventory in this environment but are no longer in it. Their objects are kept,
     * as for an environment removed from git: removing an application key (or a typo in it) must not delete
     * its objects. To remove them, set the application's {@code state: absent}, apply, then remove it.
     */
    private static List<String> removedApplications(InventoryStore inventories, DesiredState desired, String onlyApp) {
        if (onlyApp != null) {
            return List.of();
        }
        Set<String> present = new HashSet<>();
        for (AppInstance app : desired.environment().apps()) {
            present.add(app.name());
        }
        List<String> warnings = new ArrayList<>();
        inventories.loadEnvironment(desired.environment().name()).forEach((application, inventory) -> {
            if (!present.contains(application) && !inventory.entries().isEmpty()) {
                warnings.add("application " + application + " is no longer in environment " + desired.environment().name()
                        + ": its " + inventory.entries().size() + " objects are kept, not pruned (to remove them, put it "
                        + "back with state: absent, apply, then remove it)");
            }
        });
        return warnings;
    }
}
