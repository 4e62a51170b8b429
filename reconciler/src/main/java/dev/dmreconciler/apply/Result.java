package dev.dmreconciler.apply;

import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import java.util.List;

/**
 * The result of one planned change.
 *
 * @param reason      why, typed (callers decide on it, never on the message)
 * @param fingerprint the reconciler's managed-fields fingerprint after the change (for the inventory)
 * @param conflicts   fields taken from other managers by a forced apply ("spec.replicas (kubectl-edit)")
 * @param mergedInto  the UID of an object a create wrote to that may not be ours and whose marks stay on it (who made
 *                    it is unknown, or their release did not happen), else null: the pending inventory entry records
 *                    it, so the next pass does not take the object for its own
 */
public record Result(Change change, Outcome outcome, Reason reason, String message, String fingerprint,
                     List<String> conflicts, String mergedInto) {

    public Result(Change change, Outcome outcome, Reason reason, String message, String fingerprint,
                  List<String> conflicts) {
        this(change, outcome, reason, message, fingerprint, conflicts, null);
    }

    /** A failed create that left the reconciler's marks on an object that may not be ours (see {@code mergedInto}). */
    static Result marksLeft(Change change, Reason reason, String message, String uid) {
        return new Result(change, Outcome.FAILED, reason, message, null, List.of(), uid);
    }

    static Result of(Change change, Outcome outcome, Reason reason, String message) {
        return new Result(change, outcome, reason, message, null, List.of());
    }

    /** The plan's own verdict, carried out without a request (unchanged, refused, kept, …). */
    static Result asPlanned(Change change) {
        return of(change, change.action(), change.reason(), change.message());
    }
}
