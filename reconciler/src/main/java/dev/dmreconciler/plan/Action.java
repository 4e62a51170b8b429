package dev.dmreconciler.plan;

/** What a pass does to one object. */
public enum Action {
    /** Not in the cluster (or no longer labelled as ours): server-side apply creates or adopts it. */
    CREATE,
    /** Desired content changed, or another manager took fields the reconciler owns (drift): apply again. */
    UPDATE,
    /** Same content, fields intact: no request at all. */
    UNCHANGED,
    /** Applied before, no longer desired: delete. */
    PRUNE,
    /** Applied before, no longer desired, but kept: a protected kind without its opt-in (stays in the inventory). */
    KEEP
}
