package dev.dmreconciler.apply;

import dev.dmreconciler.plan.Change;
import java.util.List;

/**
 * The result of one planned change.
 *
 * @param fingerprint the reconciler's managed-fields fingerprint after the change (for the inventory)
 * @param conflicts   fields taken from other managers by a forced apply ("spec.replicas (kubectl-edit)")
 */
public record Result(Change change, Outcome outcome, String message, String fingerprint, List<String> conflicts) {

    static Result of(Change change, Outcome outcome, String message) {
        return new Result(change, outcome, message, null, List.of());
    }
}
