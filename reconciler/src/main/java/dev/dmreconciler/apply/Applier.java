package dev.dmreconciler.apply;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.plan.Action;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Fingerprint;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Planner;
import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 *       namespace and the bundle's required objects exist), applies in kind order, then prunes in reverse
 *       order, but only if everything in it succeeded. A failing namespace is reported and skipped; the others
 *       still converge;</li>
 *   <li>operator-scope prunes, only when the whole pass succeeded;</li>
 *   <li>the inventory, written only when it changed (a no-op pass writes nothing).</li>
 * </ol>
 */
public final class Applier {

    static final String WRITING_STOPPED = "not written: writing stopped (leadership lost or shutting down)";

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final InventoryStore inventories;
    private final ApplyOptions options;
    private final CrdWaiter crdWaiter;
    private final ServerSideApply serverSideApply;
    private final BooleanSupplier mayWrite;
    /** Objects of one rank within a scope; separate from the namespace pool, whose tasks wait on it. */
    private ExecutorService objectPool;

    /**
     * @param mayWrite asked before every write; false stops writing at once (leadership lost, shutting down):
     *                 the remaining objects are reported skipped and nothing is pruned
     */
    public Applier(KubernetesClient client, ResourceTypes types, InventoryStore inventories, ApplyOptions options,
                   BooleanSupplier mayWrite) {
        this.client = client;
        this.types = types;
        this.inventories = inventories;
        this.options = options;
        this.crdWaiter = new CrdWaiter(client, types, options.crdTimeout());
        this.serverSideApply = new ServerSideApply(client, types, options.fieldManager(), options.forceConflicts());
        this.mayWrite = mayWrite;
    }

    public ApplyReport apply(Plan plan, Environment environment) {
        List<Result> results = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<Change>> scopes = plan.byScope();

        List<Change> operator = scopes.getOrDefault(Plan.OPERATOR_SCOPE, List.of());
        Preconditions preconditions = new Preconditions(client, types, environment);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.concurrency()));
        objectPool = Executors.newFixedThreadPool(Math.max(1, options.concurrency()));
        try {
            results.addAll(applyInKindOrder(operator.stream().filter(c -> !isDeletion(c)).toList()));
            List<Future<List<Result>>> namespaceResults = new ArrayList<>();
            scopes.forEach((scope, changes) -> {
                if (!scope.equals(Plan.OPERATOR_SCOPE)) {
                    namespaceResults.add(pool.submit(() -> applyNamespace(scope, changes, preconditions)));
                }
            });
            for (Future<List<Result>> future : namespaceResults) {
                results.addAll(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("apply interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("apply failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
            objectPool.shutdownNow();
        }

        results.addAll(prune(operator, results, "not pruned: this pass had failures"));

        List<String> inventoriesWritten = saveInventories(plan, results);
        return new ApplyReport(plan, List.copyOf(results), inventoriesWritten);
    }

    private List<Result> applyNamespace(String namespace, List<Change> changes, Preconditions preconditions)
            throws InterruptedException, ExecutionException {
        List<Result> results = new ArrayList<>();
        boolean writes = changes.stream().anyMatch(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE);
        String problem = writes ? preconditions.problem(namespace, changes) : null;
        if (problem != null) {
            changes.forEach(c -> results.add(Result.of(c, Outcome.SKIPPED, problem)));
            return results;
        }
        results.addAll(applyInKindOrder(changes.stream().filter(c -> !isDeletion(c)).toList()));
        results.addAll(prune(changes, results, "not pruned: namespace " + namespace + " had failures"));
        return results;
    }

    /** The deletions among the changes, in reverse kind order; none at all when anything before failed. */
    private List<Result> prune(List<Change> changes, List<Result> before, String skipped) {
        boolean clean = before.stream().noneMatch(r -> r.outcome().failedOrSkipped());
        return changes.stream().filter(Applier::isDeletion).sorted(Planner.deletionOrder())
                .map(c -> clean ? deleteOne(c) : Result.of(c, Outcome.SKIPPED, skipped)).toList();
    }

    /**
     * Kind order between kinds (a Role before its RoleBinding, a CRD before its custom resources); objects of
     * the same rank do not depend on each other and are applied in parallel.
     */
    private List<Result> applyInKindOrder(List<Change> changes) throws InterruptedException, ExecutionException {
        Map<Integer, List<Change>> byRank = new TreeMap<>();
        changes.forEach(c -> byRank.computeIfAbsent(KindOrder.rank(c.key().group(), c.key().kind()), r -> new ArrayList<>()).add(c));
        List<Result> results = new ArrayList<>();
        for (List<Change> rank : byRank.values()) {
            if (rank.size() == 1) {
                results.add(applyOne(rank.get(0)));
                continue;
            }
            List<Future<Result>> futures = new ArrayList<>();
            rank.forEach(c -> futures.add(objectPool.submit(() -> applyOne(c))));
            for (Future<Result> future : futures) {
                results.add(future.get());
            }
        }
        return results;
    }

    private Result applyOne(Change change) {
        if (change.action() == Action.UNCHANGED) {
            return new Result(change, Outcome.UNCHANGED, "", Fingerprint.of(change.live(), options.fieldManager()), List.of());
        }
        if (!mayWrite.getAsBoolean()) {
            return Result.of(change, Outcome.SKIPPED, WRITING_STOPPED);
        }
        try {
            ServerSideApply.Applied applied = serverSideApply.apply(change, false);
            if (change.key().kind().equals("CustomResourceDefinition")) {
                crdWaiter.awaitServed(applied.object());
            }
            Outcome outcome = change.action() == Action.CREATE ? Outcome.CREATED : Outcome.CONFIGURED;
            return new Result(change, outcome, change.reason(), Fingerprint.of(applied.object(), options.fieldManager()),
                    applied.conflicts());
        } catch (KubernetesClientException | IllegalStateException e) {
            return Result.of(change, Outcome.FAILED, ApiErrors.describe(e));
        }
    }

    private Result deleteOne(Change change) {
        if (change.action() == Action.KEEP) {
            return Result.of(change, Outcome.KEPT, change.reason());
        }
        if (!mayWrite.getAsBoolean()) {
            return Result.of(change, Outcome.SKIPPED, WRITING_STOPPED);
        }
        try {
            serverSideApply.delete(change);
            return Result.of(change, Outcome.DELETED, change.reason());
        } catch (KubernetesClientException | IllegalStateException e) {
            return Result.of(change, Outcome.FAILED, ApiErrors.describe(e));
        }
    }

    private static boolean isDeletion(Change change) {
        return change.action() == Action.PRUNE || change.action() == Action.KEEP;
    }

    /**
     * The next inventory of each application: what now exists as desired, plus whatever failed or was skipped
     * or kept (so it stays owned and is retried or pruned later). Objects that vanished are dropped.
     */
    private List<String> saveInventories(Plan plan, List<Result> results) {
        List<String> written = new ArrayList<>();
        plan.previous().forEach((application, previous) -> {
            Map<dev.dmreconciler.resource.ObjectKey, Inventory.Entry> next = new TreeMap<>();
            for (Result result : results) {
                Change change = result.change();
                if (!change.application().equals(application)) {
                    continue;
                }
                Inventory.Entry old = previous.entries().get(change.key());
                switch (result.outcome()) {
                    case CREATED, CONFIGURED, UNCHANGED -> next.put(change.key(), new Inventory.Entry(change.apiVersion(),
                            change.scope() == null ? "" : change.scope(), Stamp.hashOf(change.desired()), result.fingerprint()));
                    case DELETED -> { }
                    default -> {
                        if (old != null) {
                            next.put(change.key(), old);
                        }
                    }
                }
            }
            Inventory updated = previous.with(next);
            if (!updated.entries().equals(previous.entries()) && mayWrite.getAsBoolean()) {
                inventories.save(updated);
                written.add(application);
            }
        });
        return written;
    }
}
