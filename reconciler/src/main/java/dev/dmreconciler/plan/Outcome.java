package dev.dmreconciler.plan;

import java.util.Locale;

/**
 * The one result vocabulary (as Flux's ssa ChangeSet): what a plan intends for an object and what apply, diff,
 * metrics, Events and /status report. A plan uses the same names for what it will do ("created" = will be
 * created); the applier may end with another one (failed, skipped, replaced).
 */
public enum Outcome {
    CREATED, CONFIGURED, UNCHANGED, DELETED, SKIPPED, FAILED,
    /** Deleted and created again because a change touched an immutable field (lifecycle {@code recreate}). */
    REPLACED,
    /** Existed without the reconciler's marks and was taken over on request (adoption opt-in). */
    ADOPTED,
    /** Exists and is not ours: left untouched (adoption not requested). */
    REFUSED,
    /** Not desired any more but left in the cluster (protected kind, {@code keep} policy, user objects inside). */
    KEPT;

    /** The lower-case word used in every output ("created", "kept"). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the object did not reach its desired state: the pass did not converge (exit 3) and prunes wait. */
    public boolean notConverged() {
        return this == FAILED || this == SKIPPED || this == REFUSED;
    }

    /** Whether the plan writes the object (apply, adopt, delete). */
    public boolean writes() {
        return this == CREATED || this == CONFIGURED || this == ADOPTED || this == REPLACED || this == DELETED;
    }

    /** Whether the change removes (or declines to remove) an object that is no longer desired. */
    public boolean removal() {
        return this == DELETED || this == KEPT;
    }
}
