package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.resource.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * When a removal waits as a move ({@code Applier.movesInto}): only for an object newly rendered in a namespace that did
 * not converge and not put in place there. Every namespace of a bundle renders the same names, so anything else held
 * back every namespace's removal while one tenant failed (review S12-F2).
 */
class MovesTest {

    private static final String APP = "shop";

    private static Change change(String namespace, Outcome action) {
        return new Change(new ObjectKey("", "ConfigMap", namespace, "first"), "v1", action, APP, namespace,
                Map.of(), null, null, "");
    }

    private static Result result(String namespace, Outcome planned, Outcome outcome) {
        return Result.of(change(namespace, planned), outcome, Reason.CONTENT_CHANGED, "");
    }

    /** A plan whose previous inventory holds the ConfigMap in {@code inventoried}'s namespaces. */
    private static Plan plan(String... inventoried) {
        TreeMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        for (String ns : inventoried) {
            entries.put(new ObjectKey("", "ConfigMap", ns, "first"), new Inventory.Entry("v1", ns, "h", null));
        }
        return new Plan("env", "cluster", List.of(), Map.of(APP, new Inventory("env", APP, entries)), Set.of());
    }

    private static Map<String, String> moves(Plan plan, Result failedScopesResult) {
        String scope = failedScopesResult.change().scopeName();
        return Applier.movesInto(Set.of(scope), Map.of(scope, List.of(failedScopesResult)), plan);
    }

    @Test
    void aNewObjectNotPutInPlaceInAFailedNamespaceIsAMoveTarget() {
        String key = APP + "||ConfigMap|first";
        for (Outcome notInPlace : List.of(Outcome.SKIPPED, Outcome.FAILED, Outcome.REFUSED)) {
            assertEquals(Map.of(key, "new"), moves(plan("old"), result("new", Outcome.CREATED, notInPlace)), notInPlace.name());
        }
    }

    @Test
    void anObjectTheFailedNamespaceHadBeforeIsNoMove() {
        for (Outcome outcome : List.of(Outcome.SKIPPED, Outcome.FAILED, Outcome.REFUSED, Outcome.UNCHANGED)) {
            assertEquals(Map.of(), moves(plan("old", "broken"), result("broken", Outcome.CONFIGURED, outcome)), outcome.name());
        }
    }

    @Test
    void aNewObjectThatWasPutInPlaceIsNoLongerWaitedFor() {
        for (Outcome inPlace : List.of(Outcome.CREATED, Outcome.CONFIGURED, Outcome.UNCHANGED, Outcome.ADOPTED)) {
            assertEquals(Map.of(), moves(plan("old"), result("new", Outcome.CREATED, inPlace)), inPlace.name());
        }
    }

    @Test
    void aRemovalInAFailedNamespaceIsNoMoveTarget() {
        assertEquals(Map.of(), moves(plan("old"), result("new", Outcome.DELETED, Outcome.SKIPPED)));
    }

    @Test
    void namespacesThatConvergedAreNotLookedAt() {
        Result created = result("new", Outcome.CREATED, Outcome.SKIPPED);
        assertEquals(Map.of(), Applier.movesInto(Set.of(), Map.of("new", List.of(created)), plan("old")));
    }
}
