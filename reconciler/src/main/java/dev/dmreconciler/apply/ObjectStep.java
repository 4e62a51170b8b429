package dev.dmreconciler.apply;

import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Decisions;
import dev.dmreconciler.plan.Fingerprint;
import dev.dmreconciler.plan.Lifecycle;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Applies planned objects: kind order between kinds, objects of one rank in parallel; a change that touches an
 * immutable field replaces the object when its lifecycle allows it ({@code recreate}, {@code create-once}),
 * and otherwise fails once, naming the field (a 422 is never retried).
 */
final class ObjectStep {

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final ApplyOptions options;
    private final BooleanSupplier mayWrite;
    private final CrdWaiter crdWaiter;
    private final ServerSideApply serverSideApply;
    /** Objects of one rank within a scope; separate from the namespace pool, whose tasks wait on it. */
    private ExecutorService pool;

    ObjectStep(KubernetesClient client, ResourceTypes types, ApplyOptions options, BooleanSupplier mayWrite) {
        this.client = client;
        this.types = types;
        this.options = options;
        this.mayWrite = mayWrite;
        this.crdWaiter = new CrdWaiter(client, types, options.crdTimeout());
        this.serverSideApply = new ServerSideApply(client, types, options.fieldManager(), options.forceConflicts());
    }

    ResourceTypes types() {
        return types;
    }

    ServerSideApply serverSideApply() {
        return serverSideApply;
    }

    String fieldManager() {
        return options.fieldManager();
    }

    /** @param threads 0: no pool (a pass that writes nothing), each rank on the calling thread */
    void start(int threads) {
        pool = threads > 0 ? Executors.newFixedThreadPool(threads) : null;
    }

    void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * Kind order between kinds (a Role before its RoleBinding, a CRD before its custom resources); objects of
     * the same rank do not depend on each other and are applied in parallel.
     */
    List<Result> applyInKindOrder(List<Change> changes) throws InterruptedException, ExecutionException {
        Map<Integer, List<Change>> byRank = new TreeMap<>();
        changes.forEach(c -> byRank.computeIfAbsent(Applier.rank(c), r -> new ArrayList<>()).add(c));
        List<Result> results = new ArrayList<>();
        for (List<Change> rank : byRank.values()) {
            if (rank.size() == 1 || pool == null) { // one object, or nothing written in this pass
                rank.forEach(c -> results.add(applyOne(c)));
                continue;
            }
            List<Future<Result>> futures = new ArrayList<>();
            rank.forEach(c -> futures.add(pool.submit(() -> applyOne(c))));
            for (Future<Result> future : futures) {
                results.add(future.get());
            }
        }
        return results;
    }

    Result applyOne(Change change) {
        switch (change.action()) {
            case UNCHANGED:
                return new Result(change, Outcome.UNCHANGED, change.reason(), change.message(),
                        change.fingerprint() != null ? change.fingerprint()
                                : Applier.fingerprint(change.live(), options.fieldManager()), List.of());
            case CREATED, CONFIGURED, ADOPTED:
                break;
            case REFUSED:
                if (change.reason() == Reason.MERGED_CREATE) { // an earlier pass's create merged into it: release
                    return release(change, plannedUid(change), change.message());
                }
                return Result.asPlanned(change);
            default:
                return Result.asPlanned(change); // refused, failed (invalid policy): nothing to write
        }
        if (!mayWrite.getAsBoolean()) {
            return Result.of(change, Outcome.SKIPPED, Reason.WRITING_STOPPED, Applier.WRITING_STOPPED);
        }
        try {
            ServerSideApply.Applied applied;
            try {
                String uid = plannedUid(change);
                applied = uid == null ? serverSideApply.create(change) : serverSideApply.apply(change, false, uid);
            } catch (KubernetesClientException e) {
                if (plannedUid(change) == null && ServerSideApply.takenMeanwhile(e)) {
                    return madeMeanwhile(change, e);
                }
                if (ServerSideApply.notThePlannedObject(e)) {
                    return Result.of(change, Outcome.FAILED, Reason.STALE_READ, "not written: not the object this pass "
                            + "planned from (deleted, or deleted and made again, since it was read: the write's UID "
                            + "precondition failed); the next pass reads it again from the API server");
                }
                List<String> fields = ApiErrors.immutableFields(e);
                if (fields.isEmpty()) {
                    throw e;
                }
                if (!Lifecycle.replaces(Lifecycle.of(change.desired()))) {
                    return Result.of(change, Outcome.FAILED, Reason.IMMUTABLE_FIELD, "cannot change immutable field "
                            + String.join(", ", fields) + "; annotation dm-reconciler.dev/lifecycle: recreate replaces the object");
                }
                return replace(change, fields);
            }
            if (plannedUid(change) == null) {
                Result notOurs = createdBySomeoneElse(change, applied);
                if (notOurs != null) {
                    return notOurs;
                }
            }
            if (change.key().kind().equals("CustomResourceDefinition")) {
                crdWaiter.awaitServed(applied.object());
            }
            return new Result(change, change.action(), change.reason(), change.message(),
                    Fingerprint.of(applied.object(), options.fieldManager()), applied.conflicts());
        } catch (KubernetesClientException e) {
            return Result.of(change, Outcome.FAILED, Reason.API_ERROR, ApiErrors.describe(e));
        } catch (RuntimeException e) {
            return Result.of(change, Outcome.FAILED, Reason.INTERNAL_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The UID the write is bound to: the object the plan read (ours, or the one it takes over or adopts), so that a
     * write never reaches another object of that name, whatever the plan read from (a watch cache may lag, or be
     * broken without knowing it); null for a create.
     */
    private static String plannedUid(Change change) {
        return change.live() == null ? null : change.live().getMetadata().getUid();
    }

    /**
     * Deletes the object (this UID only), waits until that UID is gone (bounded), and applies it again.
     *
     * <p>Why background propagation: with {@code Foreground} the server only marks the object
     * ({@code foregroundDeletion} finalizer) and the garbage collector must delete its dependents and then the
     * object; the replacement then waits on a controller it cannot see, and without one (an API server without
     * kube-controller-manager, a GC that is stuck) it waits for ever. With {@code Background} the old object is
     * gone at once and the garbage collector removes its dependents afterwards. They never join the new object:
     * a Job selects its Pods by its own {@code controller-uid}, and dependents point at the old UID.
     * A finalizer someone else set (PVC protection, an operator's) still holds the old object: after
     * {@link ApplyOptions#replaceTimeout()} the object fails with the finalizers named, and the next pass
     * continues the replacement.
     */
    private Result replace(Change change, List<String> fields) {
        String what = "replacing (immutable field " + String.join(", ", fields) + ")";
        GenericKubernetesResource live = serverSideApply.get(change);
        if (live != null) {
            // the 422 may come from an object that is not the one planned (deleted and made again by someone else, a
            // stale watch cache): only the object the plan read, still ours, is ever deleted
            boolean adoptingIt = change.action() == Outcome.ADOPTED && change.live() != null
                    && java.util.Objects.equals(change.live().getMetadata().getUid(), live.getMetadata().getUid());
            String foreign = adoptingIt ? null : PruneStep.notOurs(change, live,
                    dev.dmreconciler.resource.Stamp.annotation(change.desired(), dev.dmreconciler.resource.Stamp.ENVIRONMENT));
            if (foreign != null) {
                return Result.of(change, Outcome.REFUSED, Reason.NOT_OURS, "not replaced: " + foreign
                        + "; an object that is not the one planned is never deleted");
            }
            if (!mayWrite.getAsBoolean()) {
                return Result.of(change, Outcome.SKIPPED, Reason.WRITING_STOPPED, Applier.WRITING_STOPPED);
            }
            String uid = live.getMetadata().getUid();
            if (live.getMetadata().getDeletionTimestamp() == null) { // already being deleted (an earlier pass): wait only
                serverSideApply.delete(change, uid, false);
            }
            Duration timeout = options.replaceTimeout();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                GenericKubernetesResource now = serverSideApply.get(change);
                if (now == null) {
                    break;
                }
                if (!uid.equals(now.getMetadata().getUid())) {
                    // someone made another object of that name after ours was deleted (an operator that recreates it
                    // at once): applying now would write onto theirs and, forced, take it over without --adopt
                    return Result.of(change, Outcome.FAILED, Reason.STALE_READ, what + ": the old object (uid " + uid
                            + ") was deleted, but another object of that name (uid " + now.getMetadata().getUid()
                            + ") was made since by someone else; not written; the next pass reads it again from the API server");
                }
                if (System.nanoTime() > deadline) {
                    List<String> finalizers = now.getMetadata().getFinalizers();
                    return Result.of(change, Outcome.FAILED, Reason.IMMUTABLE_FIELD, what + ": the old object (uid " + uid
                            + ") was deleted but is not gone after " + timeout.toSeconds() + " s"
                            + (finalizers == null || finalizers.isEmpty() ? "" : "; held by finalizers " + String.join(", ", finalizers))
                            + "; the next pass creates the new one once it is gone (--replace-timeout)");
                }
                sleep(Math.min(250, Math.max(1, timeout.toMillis() / 4)));
            }
        }
        if (!mayWrite.getAsBoolean()) {
            return Result.of(change, Outcome.SKIPPED, Reason.WRITING_STOPPED, Applier.WRITING_STOPPED);
        }
        ServerSideApply.Applied applied;
        try {
            applied = serverSideApply.create(change);
        } catch (KubernetesClientException e) {
            if (ServerSideApply.takenMeanwhile(e)) {
                return madeMeanwhile(change, e);
            }
            throw e;
        }
        Result notOurs = createdBySomeoneElse(change, applied);
        if (notOurs != null) {
            return notOurs;
        }
        return new Result(change, Outcome.REPLACED, Reason.RECREATED, "replaced: immutable field " + String.join(", ", fields)
                + " changed", Fingerprint.of(applied.object(), options.fieldManager()), applied.conflicts());
    }

    /**
     * A create whose answer shows other managers' fields ({@link Decisions#createdBySomeoneElse}): when the times say
     * someone else made the object, refused, and the fields this pass just wrote to it (its marks) are given up again
     * ({@link #release}), so the object is theirs as before and no later pass takes it for ours. When they cannot
     * tell, failed: nothing is removed (it may be the reconciler's own object, touched by a controller) and nothing
     * is taken over. Null when the create made the object. A refused result keeps the object out of the inventory
     * ({@link Applier}); a failed one keeps its pending entry, marked with the UID ({@link Result#mergedInto}), so
     * the next pass neither takes it for its own nor strips it.
     */
    private Result createdBySomeoneElse(Change change, ServerSideApply.Applied applied) {
        Decisions.Verdict verdict = Decisions.createdBySomeoneElse(applied.object(), options.fieldManager());
        if (verdict == null) {
            return null;
        }
        String uid = applied.object().getMetadata().getUid();
        if (verdict.action() != Outcome.REFUSED) {
            return Result.marksLeft(change, verdict.reason(), verdict.message(), uid);
        }
        return release(change, uid, verdict.message());
    }

    /**
     * Gives up the fields the reconciler wrote to someone else's object (bound to its UID). Not while writing is
     * stopped (another replica may lead now): the marks then stay, and the next pass, seeing them with the pending
     * entry and the times that say who made it, refuses it and releases them ({@code Decisions.desired}).
     */
    private Result release(Change change, String uid, String why) {
        String marksLeft = "; the fields this pass wrote to it, the reconciler's marks among them, are still on it (uid "
                + uid + "): the next pass removes them again (or take the object over with --adopt)";
        if (!mayWrite.getAsBoolean()) {
            return Result.marksLeft(change, Reason.NOT_OURS, why + marksLeft + " (writing stopped before they could be "
                    + "removed)", uid);
        }
        try {
            GenericKubernetesResource released = serverSideApply.release(change, uid);
            if (Stamp.managedByUs(released.getMetadata().getLabels())) { // the owner's own fields carry them
                return Result.marksLeft(change, Reason.NOT_OURS, why + "; its owner's own fields carry the reconciler's "
                        + "marks: left as its owner made it", uid);
            }
        } catch (KubernetesClientException e) {
            if (ServerSideApply.notThePlannedObject(e)) { // gone, or another object of that name: nothing of ours left
                return Result.of(change, Outcome.REFUSED, Reason.NOT_OURS, why + "; the object (uid " + uid
                        + ") is gone since");
            }
            return Result.marksLeft(change, Reason.NOT_OURS, why + marksLeft + " (removing them failed: "
                    + ApiErrors.describe(e) + ")", uid);
        }
        return Result.of(change, Outcome.REFUSED, Reason.NOT_OURS, why + "; the fields this pass wrote to "
                + "it (the reconciler's marks) were removed again. To take it over: annotation " + Stamp.ADOPT
                + ": \"true\" on the object, adopt: true in the environment, or apply --adopt");
    }

    /** {@link #release} of the object the plan read, for a prune that must not delete someone else's object. */
    Result release(Change change) {
        return release(change, plannedUid(change), change.message());
    }

    /** A create met an object someone else made of that name since the plan read (see {@link ServerSideApply#create}). */
    private static Result madeMeanwhile(Change change, KubernetesClientException e) {
        return Result.of(change, Outcome.FAILED, Reason.STALE_READ, "not written: an object of that name was made by "
                + "someone else since this pass read (fields owned by " + String.join(", ", ServerSideApply.conflicts(e))
                + "); not taken over without --adopt; the next pass reads it again from the API server");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replacing an object", e);
        }
    }
}
