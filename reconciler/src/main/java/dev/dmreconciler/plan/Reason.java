package dev.dmreconciler.plan;

/**
 * Why an object got its outcome, typed, so callers decide on it instead of matching message text. The message
 * next to it carries the details for people.
 */
public enum Reason {
    NONE,
    /** Not in the cluster: created. */
    NOT_IN_CLUSTER,
    /** The desired content (hash) differs from the live object's. */
    CONTENT_CHANGED,
    /** The live object is ours but not yet in this environment's inventory. */
    NOT_IN_INVENTORY,
    /** Another manager took fields the reconciler owns. */
    DRIFT,
    /** Carries the reconciler's marks for another application or environment: handed over, never deleted. */
    HANDED_OVER,
    /** Exists without the reconciler's marks and adoption was not requested. */
    NOT_OURS,
    /**
     * Other managers own fields of an object a create wrote to, and their times and the object's creation time cannot
     * tell whether they or the reconciler made it: left as it is (never released, never taken over without --adopt).
     */
    MAKER_UNKNOWN,
    /**
     * Carries the reconciler's marks from an earlier pass's create that merged into an object someone else made (the
     * release of its fields did not happen then): refused, and its fields given up again.
     */
    MERGED_CREATE,
    /** Exists without the reconciler's marks and adoption was requested. */
    ADOPTION_REQUESTED,
    /** Applied before, no longer desired anywhere on the cluster. */
    NO_LONGER_DESIRED,
    /** A Namespace, CRD or PVC without its --prune-* opt-in: kept, stays in the inventory. */
    PROTECTED_KIND,
    /** Lifecycle {@code keep}: left in the cluster and dropped from the inventory (orphaned). */
    KEEP_POLICY,
    /** An adopted Namespace is never deleted: left in the cluster, dropped from the inventory. */
    ADOPTED_NAMESPACE,
    /** A Namespace that holds objects outside the inventory is never deleted: kept, stays in the inventory. */
    NAMESPACE_NOT_EMPTY,
    /** Lifecycle {@code create-once}: created for this desired spec before; not created again. */
    CREATED_ONCE,
    /** The live object no longer carries the reconciler's marks, or is another object of the same name. */
    NO_LONGER_OURS,
    /** The scope's preconditions failed: nothing applied there. */
    PRECONDITION_FAILED,
    /** Not pruned because the scope, or the scope the object moves to, did not converge. */
    PRUNE_BLOCKED,
    /** Not pruned because the pass would delete more than the environment's prune budget allows. */
    PRUNE_BUDGET,
    /** Not pruned because not every environment of the cluster could be rendered (what they want is unknown). */
    WANTED_UNKNOWN,
    /** Writing stopped (leadership lost or shutting down). */
    WRITING_STOPPED,
    /** Not written because the inventory could not record it first (the object would not be findable). */
    INVENTORY_NOT_RECORDED,
    /** A change touches an immutable field and the object has no {@code recreate} policy. */
    IMMUTABLE_FIELD,
    /** Deleted and re-created because a change touched an immutable field. */
    RECREATED,
    /** An invalid {@code dm-reconciler.dev/lifecycle} annotation. */
    INVALID_POLICY,
    /**
     * Not written: the object is not the one the plan read (deleted, or deleted and made again, since; the write's
     * UID precondition failed). Retried; in {@code run} the type's watch cache is listed again first.
     */
    STALE_READ,
    /** The API server refused the request. */
    API_ERROR,
    /** An unexpected error in the reconciler. */
    INTERNAL_ERROR
}
