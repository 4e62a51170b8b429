package dev.dmreconciler.apply;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Decisions;
import dev.dmreconciler.plan.Fingerprint;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Carries out a {@link Plan} with server-side apply, in stages:
 * <ol>
 *   <li>operator scope in kind order (CRDs, Namespaces, cluster RBAC, then the operator), waiting for each
 *       changed CRD to be Established and served;</li>
 *   <li>the Data Manager namespaces, concurrently on a bounded pool: each checks its preconditions (the
 *       namespace and the bundle's required objects exist) and applies in kind order. A failing namespace is
 *       reported and skipped, an unexpected error fails only its scope; the others still converge;</li>
 *   <li>prunes, in reverse kind order, once every scope has applied: a scope's prunes wait only for that scope —
 *       and for any scope that now renders an object of the same kind and name (a move: the old object stays
 *       until the new one applied). Each delete re-reads the object, deletes only if it still carries the
 *       reconciler's marks, with a UID precondition, and never a Namespace that holds objects outside the
 *       inventory ({@link PruneStep});</li>
 *   <li>the inventory, written only when it changed (a no-op pass writes nothing).</li>
 * </ol>
 * Before the first write, every object the pass is about to write that its inventory does not hold yet is
 * recorded there as {@code pending}, so a pass killed at any point leaves every object it made findable (and
 * later pruned). A failure to save an inventory is reported in the pass result, never thrown.
 */
public final class Applier {

    static final String WRITING_STOPPED = "not written: writing stopped (leadership lost or shutting down)";

    private final KubernetesClient client;
    private final InventoryStore inventories;
    private final ApplyOptions options;
    private final BooleanSupplier mayWrite;
    private final ObjectStep objects;

    /**
     * @param mayWrite asked before every write; false stops writing at once (leadership lost, shutting down):
     *                 the remaining objects are reported skipped and nothing is pruned
     */
    public Applier(KubernetesClient client, ResourceTypes types, InventoryStore inventories, ApplyOptions options,
                   BooleanSupplier mayWrite) {
        this.client = client;
        this.inventories = inventories;
        this.options = options;
        this.mayWrite = mayWrite;
        this.objects = new ObjectStep(client, types, options, mayWrite);
    }

    public ApplyReport apply(Plan plan, DesiredState desired) {
        Map<String, Inventory> recorded = new TreeMap<>(plan.previous());
        String recordFailure = recordPending(plan, recorded);
        if (recordFailure != null) {
            List<Result> skipped = plan.changes().stream()
                    .map(c -> c.action().writes() ? Result.of(c, Outcome.SKIPPED, Reason.INVENTORY_NOT_RECORDED,
                            "not written: " + recordFailure) : Result.of(c, c.action(), c.reason(), c.message())).toList();
            return new ApplyReport(plan, skipped, List.of(), List.of(recordFailure), List.of());
        }
        Map<String, List<Change>> scopes = plan.byScope();
        Map<String, List<Result>> applied = Collections.synchronizedMap(new LinkedHashMap<>());
        Preconditions preconditions = new Preconditions(client, objects.types(), desired.preconditions(),
                desired.environment().name());
        // a pass that writes nothing (a no-op: every object unchanged) has nothing to wait for: its scopes are reported
        // on this thread, without two pools of threads and a task per namespace
        boolean writes = plan.changes().stream().anyMatch(c -> c.action().writes());
        ExecutorService pool = writes ? Executors.newFixedThreadPool(Math.max(1, options.concurrency())) : null;
        objects.start(writes ? Math.max(1, options.concurrency()) : 0);
        try {
            List<Change> operator = scopes.getOrDefault(Plan.OPERATOR_SCOPE, List.of());
            applied.put(Plan.OPERATOR_SCOPE, guarded(Plan.OPERATOR_SCOPE, operator,
                    () -> applyReady(nonRemovals(operator), preconditions)));
            // many namespaces to write: their preconditions with one LIST per kind, not a GET each (cold apply).
            // Only a shortcut: whatever goes wrong in it leaves every precondition to its namespace's own GET, and
            // must not end the pass after the operator scope was written (no results, no inventory saved).
            try {
                preconditions.prefetch(plan.changes().stream().filter(c -> !Plan.OPERATOR_SCOPE.equals(c.scopeName())
                        && !c.removal()).toList());
            } catch (RuntimeException e) {
                // nothing remembered: the namespaces' GETs report whatever is wrong, with its object named
            }
            Map<String, Future<List<Result>>> namespaces = new LinkedHashMap<>();
            scopes.forEach((scope, changes) -> {
                if (!scope.equals(Plan.OPERATOR_SCOPE)) {
                    namespaces.put(scope, submit(pool, () -> guarded(scope, changes,
                            () -> applyReady(nonRemovals(changes), preconditions))));
                }
            });
            for (Map.Entry<String, Future<List<Result>>> entry : namespaces.entrySet()) {
                applied.put(entry.getKey(), outcomeOf(entry.getKey(), scopes.get(entry.getKey()), entry.getValue()));
            }

            PruneStep prune = new PruneStep(client, objects, plan, mayWrite);
            Set<String> failedScopes = new HashSet<>();
            applied.forEach((scope, results) -> {
                if (results.stream().anyMatch(r -> r.outcome().notConverged())) {
                    failedScopes.add(scope);
                }
            });
            Map<String, String> movedTo = movesInto(failedScopes, applied, plan);
            List<Result> results = new ArrayList<>();
            Map<String, Future<List<Result>>> prunes = new LinkedHashMap<>();
            scopes.forEach((scope, changes) -> {
                List<Change> removals = changes.stream().filter(Change::removal).toList();
                if (!scope.equals(Plan.OPERATOR_SCOPE) && !removals.isEmpty()) {
                    prunes.put(scope, submit(pool, () -> prune.prune(scope, removals, failedScopes, movedTo)));
                }
            });
            applied.values().forEach(results::addAll);
            for (Map.Entry<String, Future<List<Result>>> entry : prunes.entrySet()) {
                List<Change> removals = scopes.get(entry.getKey()).stream().filter(Change::removal).toList();
                results.addAll(outcomeOf(entry.getKey(), removals, entry.getValue()));
            }
            List<Change> operatorRemovals = scopes.getOrDefault(Plan.OPERATOR_SCOPE, List.of()).stream()
                    .filter(Change::removal).toList();
            results.addAll(guarded(Plan.OPERATOR_SCOPE, operatorRemovals,
                    () -> prune.prune(Plan.OPERATOR_SCOPE, operatorRemovals, failedScopes, movedTo)));

            List<String> inventoryErrors = new ArrayList<>();
            List<String> inventoriesWritten = saveInventories(plan, recorded, results, inventoryErrors);
            return new ApplyReport(plan, List.copyOf(results), inventoriesWritten, inventoryErrors, List.of());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            objects.stop();
        }
    }

    /** On the pool, or (no pool: nothing to write) at once on this thread, its outcome or failure in the future. */
    private static <T> Future<T> submit(ExecutorService pool, java.util.concurrent.Callable<T> work) {
        if (pool != null) {
            return pool.submit(work);
        }
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(work);
        task.run();
        return task;
    }

    /** Applies what the preconditions allow; the objects a failing precondition guards are skipped. */
    private List<Result> applyReady(List<Change> applies, Preconditions preconditions)
            throws InterruptedException, ExecutionException {
        Preconditions.Checked ready = preconditions.check(applies);
        List<Result> results = new ArrayList<>(ready.skipped());
        results.addAll(objects.applyInKindOrder(ready.ready()));
        return results;
    }

    /**
     * For every object (application, kind, name) newly rendered in a scope that did not converge and not put in place
     * there: that scope's name. A prune of the same kind and name elsewhere is a move whose new object is not in place:
     * it waits. Only new objects (not in the scope's inventory before this pass) that were not applied count: every
     * namespace of a bundle renders the same names, so an object a failing namespace already had (unchanged, refused,
     * or someone else's since) is no move, and a namespace taken out of git is pruned whatever other namespaces do
     * (review S12-F2: one broken tenant held back every namespace's removal, claiming a move).
     */
    static Map<String, String> movesInto(Set<String> failedScopes, Map<String, List<Result>> applied, Plan plan) {
        Map<String, String> movedTo = new TreeMap<>();
        for (String scope : failedScopes) {
            for (Result result : applied.getOrDefault(scope, List.of())) {
                Change change = result.change();
                if (!change.removal() && result.outcome().notConverged() && !inventoried(plan, change)) {
                    movedTo.putIfAbsent(PruneStep.moveKey(change), scope);
                }
            }
        }
        return movedTo;
    }

    private static boolean inventoried(Plan plan, Change change) {
        Inventory before = plan.previous().get(change.application());
        return before != null && before.entries().containsKey(change.key());
    }

    /** Work that must not throw away the pass: an unexpected error fails the scope's changes, nothing else. */
    private interface ScopeWork {
        List<Result> run() throws Exception;
    }

    private static List<Result> guarded(String scope, List<Change> changes, ScopeWork work) {
        try {
            return work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failedScope(scope, changes, "interrupted");
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return failedScope(scope, changes, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    private static List<Result> outcomeOf(String scope, List<Change> changes, Future<List<Result>> future) {
        return guarded(scope, changes, future::get);
    }

    private static List<Result> failedScope(String scope, List<Change> changes, String why) {
        return changes.stream().map(c -> Result.of(c, Outcome.FAILED, Reason.INTERNAL_ERROR,
                "internal error in scope " + scope + ": " + why)).toList();
    }

    private static List<Change> nonRemovals(List<Change> changes) {
        return changes.stream().filter(c -> !c.removal()).toList();
    }

    /**
     * Records in each application's inventory, before anything is written, the objects this pass is about to
     * write that it does not hold yet (creates, adoptions, objects taken over), as pending entries.
     *
     * @param recorded updated with what was saved
     * @return null, or why the record could not be saved (then the pass writes nothing)
     */
    private String recordPending(Plan plan, Map<String, Inventory> recorded) {
        for (Map.Entry<String, Inventory> app : plan.previous().entrySet()) {
            Inventory previous = app.getValue();
            Map<ObjectKey, Inventory.Entry> next = new TreeMap<>(previous.entries());
            boolean changed = false;
            for (Change change : plan.changes()) {
                if (!change.application().equals(app.getKey()) || change.desired() == null || !change.action().writes()) {
                    continue;
                }
                Inventory.Entry old = next.get(change.key());
                if (old == null) {
                    Inventory.Entry pending = Inventory.Entry.pending(change.apiVersion(), scopeOf(change),
                            Stamp.hashOf(change.desired())).withSecretPaths(change.secretPaths());
                    next.put(change.key(), change.live() != null ? pending : pending.withExtra(Inventory.CREATE, "true"));
                    changed = true;
                } else if (old.pending() && old.extra().containsKey(Inventory.CREATE) && change.live() != null) {
                    // the planner took the object a pending create wrote to for its own: this write may make the
                    // reconciler's entry later than the object's creation, which must not read as "made by someone
                    // else" should this pass not finish either
                    next.put(change.key(), Inventory.Entry.pending(old.apiVersion(), old.scope(), Stamp.hashOf(change.desired()))
                            .withSecretPaths(change.secretPaths()));
                    changed = true;
                }
            }
            if (!changed) {
                continue;
            }
            if (!mayWrite.getAsBoolean()) {
                return WRITING_STOPPED.replaceFirst("^not written: ", "");
            }
            try {
                Inventory pending = previous.with(next);
                inventories.save(pending);
                recorded.put(app.getKey(), pending);
            } catch (RuntimeException e) {
                return "the inventory could not record what this pass is about to create: " + e.getMessage();
            }
        }
        return null;
    }

    private static String scopeOf(Change change) {
        return change.scope() == null ? "" : change.scope();
    }

    /**
     * The next inventory of each application: what now exists as desired, plus whatever failed or was skipped
     * or kept (so it stays owned and is retried or pruned later), including the pending entries of objects whose
     * write failed (it may have happened). Objects that vanished, were deleted, orphaned (lifecycle keep, adopted
     * Namespace) or are no longer ours are dropped; refused objects never enter. A save that fails is reported in
     * {@code errors}; the pending entries recorded before keep the next pass correct.
     */
    private List<String> saveInventories(Plan plan, Map<String, Inventory> recorded, List<Result> results,
                                         List<String> errors) {
        List<String> written = new ArrayList<>();
        recorded.forEach((application, previous) -> {
            Map<ObjectKey, Inventory.Entry> next = new TreeMap<>();
            for (Result result : results) {
                Change change = result.change();
                if (!change.application().equals(application)) {
                    continue;
                }
                Inventory.Entry old = previous.entries().get(change.key());
                boolean appliedNow = switch (result.outcome()) {
                    case CREATED, CONFIGURED, ADOPTED, REPLACED -> true;
                    case UNCHANGED -> result.reason() != Reason.CREATED_ONCE;
                    default -> false;
                };
                if (appliedNow) {
                    next.put(change.key(), new Inventory.Entry(change.apiVersion(), scopeOf(change),
                            Stamp.hashOf(change.desired()), result.fingerprint(), false, settled(old))
                            .withSecretPaths(change.secretPaths()));
                } else if (old != null && result.outcome() != Outcome.DELETED && !Decisions.orphans(result.reason())
                        && !recordedForNothing(result, plan.previous().get(application))) {
                    // the pending entry of a create that left the reconciler's marks on an object that may not be
                    // ours names that object's UID, so the next pass refuses it or fails on it instead of applying it
                    // again as a pass that did not finish (Decisions.desired)
                    next.put(change.key(), result.mergedInto() != null && old.pending()
                            ? old.withExtra(Inventory.MERGED_INTO, result.mergedInto()) : old);
                }
            }
            Inventory updated = previous.with(next);
            if (updated.entries().equals(previous.entries()) && previous == plan.previous().get(application)) {
                return;
            }
            if (!mayWrite.getAsBoolean()) {
                errors.add("inventory of " + application + " not saved: writing stopped; the next pass plans from "
                        + "what was recorded before this pass wrote");
                return;
            }
            try {
                inventories.save(updated);
                written.add(application);
            } catch (RuntimeException e) {
                errors.add(e.getMessage());
            }
        });
        return written;
    }

    /**
     * A create recorded as pending (by this pass or one that did not finish) that turned out to merge into someone
     * else's object (refused, its fields given up again), or any refused object whose entry is only pending: the entry
     * goes, the object was never ours.
     */
    private static boolean recordedForNothing(Result result, Inventory before) {
        Inventory.Entry entry = before == null ? null : before.entries().get(result.change().key());
        return result.outcome() == Outcome.REFUSED && (entry == null || entry.pending());
    }

    /** The extra attributes an applied object keeps: not the mark of a create that may have met someone else's object. */
    private static Map<String, String> settled(Inventory.Entry old) {
        if (old == null || old.extra().isEmpty()) {
            return Map.of();
        }
        Map<String, String> extra = new java.util.HashMap<>(old.extra());
        extra.remove(Inventory.MERGED_INTO);
        extra.remove(Inventory.CREATE);
        return extra;
    }

    static String fingerprint(io.fabric8.kubernetes.api.model.GenericKubernetesResource live, String fieldManager) {
        return live == null ? null : Fingerprint.of(live, fieldManager);
    }

    static int rank(Change change) {
        return KindOrder.rank(change.key().group(), change.key().kind());
    }
}
