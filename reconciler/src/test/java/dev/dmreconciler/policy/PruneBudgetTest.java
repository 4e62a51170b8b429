package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.resource.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PruneBudgetTest {

    @Test
    void bothLimitsMustBeExceeded() {
        PruneBudget budget = PruneBudget.DEFAULT;
        assertFalse(budget.exceeds(10, 10));    // 100 % but only 10 objects
        assertFalse(budget.exceeds(11, 44));    // 11 objects but exactly 25 %
        assertTrue(budget.exceeds(11, 43));     // 11 objects and 25.6 %
        assertTrue(budget.exceeds(12, 15));
        assertFalse(budget.exceeds(100, 1000)); // 10 %
        assertTrue(new PruneBudget(0, 0).exceeds(1, 1000));
        assertFalse(new PruneBudget(0, 100).exceeds(5, 5));
    }

    private static Plan plan(String application, int inventorySize, int prunes, int keeps) {
        List<Change> changes = new ArrayList<>();
        TreeMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        for (int i = 0; i < inventorySize; i++) {
            ObjectKey key = new ObjectKey("", "ConfigMap", "ns", "c" + i);
            entries.put(key, new Inventory.Entry("v1", "ns", "h", "f"));
            Outcome action = i < prunes ? Outcome.DELETED : i < prunes + keeps ? Outcome.KEPT : Outcome.UNCHANGED;
            changes.add(new Change(key, "v1", action, application, "ns", null, null, Reason.NO_LONGER_DESIRED, "left git"));
        }
        return new Plan("env", "c", changes, Map.of(application, new Inventory("env", application, entries)), Set.of());
    }

    @Test
    void overTheBudgetEveryDeletionIsHeldWithTheReason() {
        Plan plan = plan("app", 15, 12, 1);
        PruneBudget.Verdict verdict = PruneBudget.DEFAULT.check(plan, Set.of());
        assertTrue(verdict.exceeded());
        assertEquals(12, verdict.held().size());
        assertEquals("not deleted: prune budget exceeded: this pass would delete 12 of the 15 objects of app (more than 10 "
                + "objects and more than 25 % of an inventory); rerun with --allow-mass-prune, or put "
                + "'dm-reconciler: allow-prune' in the commit message", verdict.reason());
        Plan held = PruneBudget.hold(plan, verdict);
        assertEquals(0, held.changes().stream().filter(c -> c.action() == Outcome.DELETED).count());
        assertEquals(13, held.changes().stream().filter(c -> c.action() == Outcome.KEPT).count());
        assertEquals(verdict.reason(), held.changes().get(0).message());
        assertEquals(Reason.PRUNE_BUDGET, held.changes().get(0).reason());
        assertEquals("left git", held.changes().get(12).message()); // a kept object keeps its own reason
    }

    @Test
    void withinTheBudgetOrForAnAbsentApplicationNothingIsHeld() {
        assertFalse(PruneBudget.DEFAULT.check(plan("app", 15, 10, 0), Set.of()).exceeded());
        assertFalse(PruneBudget.DEFAULT.check(plan("app", 100, 20, 0), Set.of()).exceeded());
        assertFalse(PruneBudget.DEFAULT.check(plan("app", 15, 15, 0), Set.of("app")).exceeded());
        Plan plan = plan("app", 15, 10, 0);
        assertEquals(plan, PruneBudget.hold(plan, PruneBudget.DEFAULT.check(plan, Set.of())));
    }
}
