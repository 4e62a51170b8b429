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
 */
public record Result(Change change, Outcome outcome, Reason reason, String message, String fingerprint,
                     List<String> conflicts) {

    static Result of(Change change, Outcome outcome, Reason reason, String message) {
        return new Result(change, outcome, reason, message, null, List.of());
    }

    /** The plan's own verdict, carried out without a request (unchanged, refused, kept, …). */
    static Result asPlanned(Change change) {
        return of(change, change.action(), change.reason(), change.message());
    }
}
