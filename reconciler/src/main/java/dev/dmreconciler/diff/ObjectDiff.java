package dev.dmreconciler.diff;

import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Summary;
import dev.dmreconciler.resource.ObjectKey;
import java.util.List;

/**
 * How one object changes.
 *
 * @param scope     "operator" or the Data Manager namespace
 * @param before    the object before, as display YAML ("" when it does not exist)
 * @param after     the object after, as display YAML ("" when it will not exist)
 * @param conflicts fields another field manager owns that applying takes ("… (owned by …)")
 * @param note      why (for KEEP: why it is not deleted; for REFUSE: who has the object)
 */
public record ObjectDiff(String scope, ObjectKey key, Kind kind, String before, String after, List<String> conflicts,
                         String note) {

    /**
     * The plan's outcome for the object, named with the summary line's verbs ({@link Summary#verb}): a diff
     * says what apply would do, in the same vocabulary apply reports what it did.
     */
    public enum Kind {
        CREATE(Outcome.CREATED), UPDATE(Outcome.CONFIGURED), DELETE(Outcome.DELETED), KEEP(Outcome.KEPT),
        /** Exists and is not ours: apply would leave it untouched (adoption not requested). */
        REFUSE(Outcome.REFUSED),
        /** Exists and is not ours: apply would adopt it (adoption requested). */
        ADOPT(Outcome.ADOPTED),
        /** An immutable field changes and the object's lifecycle allows it: apply deletes and creates it again. */
        REPLACE(Outcome.REPLACED);

        private final Outcome outcome;

        Kind(Outcome outcome) {
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }

        public String word() {
            return Summary.verb(outcome);
        }
    }

    /** Unified diff of before → after. */
    public String unified() {
        return UnifiedDiff.of(key.toString(), before, after);
    }
}
