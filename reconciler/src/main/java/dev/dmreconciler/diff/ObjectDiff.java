package dev.dmreconciler.diff;

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

    public enum Kind {
        CREATE, UPDATE, DELETE, KEEP,
        /** Exists and is not ours: apply would leave it untouched (adoption not requested). */
        REFUSE;

        public String word() {
            return name().toLowerCase();
        }
    }

    /** Unified diff of before → after. */
    public String unified() {
        return UnifiedDiff.of(key.toString(), before, after);
    }
}
