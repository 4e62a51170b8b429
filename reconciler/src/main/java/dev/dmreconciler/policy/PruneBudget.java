package dev.dmreconciler.policy;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much one pass may delete: a pass that would delete more than {@code maxObjects} objects <b>and</b> more than
 * {@code maxPercent} % of an application's inventory deletes nothing. Both must be exceeded, so small inventories
 * can still be emptied and large ones can lose a few objects without anyone being asked. Removing a whole
 * application with {@code state: absent} is an explicit intent and is not limited.
 */
public record PruneBudget(int maxObjects, int maxPercent) {

    public static final PruneBudget DEFAULT = new PruneBudget(10, 25);
    public static final String OVERRIDE_MARKER = "dm-reconciler: allow-prune";
    static final String OVERRIDE_HINT = "rerun with --allow-mass-prune, or put '" + OVERRIDE_MARKER
            + "' in the commit message";

    public PruneBudget {
        if (maxObjects < 0 || maxPercent < 0 || maxPercent > 100) {
            throw new IllegalArgumentException("pruneBudget needs maxObjects >= 0 and 0 <= maxPercent <= 100");
        }
    }

    /** The budget's verdict on a plan: {@code reason} is null when it may go ahead. */
    public record Verdict(String reason, List<Change> held) {
        public boolean exceeded() {
            return reason != null;
        }
    }

    /**
     * @param exempt applications the environment marks absent (their removal is intended)
     */
    public Verdict check(Plan plan, Collection<String> exempt) {
        Map<String, List<Change>> deletes = new TreeMap<>();
        for (Change change : plan.changes()) {
            if (change.action() == Outcome.DELETED && !exempt.contains(change.application())) {
                deletes.computeIfAbsent(change.application(), a -> new ArrayList<>()).add(change);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> sizes = new TreeMap<>();
        deletes.forEach((application, changes) -> {
            Inventory inventory = plan.previous().get(application);
            counts.put(application, changes.size());
            sizes.put(application, inventory == null ? changes.size() : inventory.entries().size());
        });
        String reason = reason("this pass", counts, sizes);
        if (reason == null) {
            return new Verdict(null, List.of());
        }
        return new Verdict(reason, plan.changes().stream().filter(c -> c.action() == Outcome.DELETED).toList());
    }

    /**
     * Why deleting {@code deletes} (per application) out of {@code sizes} is held back, or null when it is within the
     * budget; the same words for apply, the live diff and the offline pull-request diff.
     *
     * @param who "this pass", "this change"
     */
    public String reason(String who, Map<String, Integer> deletes, Map<String, Integer> sizes) {
        List<String> over = new ArrayList<>();
        new TreeMap<>(deletes).forEach((application, count) -> {
            int size = Math.max(count, sizes.getOrDefault(application, count));
            if (exceeds(count, size)) {
                over.add(count + " of the " + size + " objects of " + application);
            }
        });
        return over.isEmpty() ? null : "not deleted: prune budget exceeded: " + who + " would delete " + String.join(", ", over)
                + " (more than " + maxObjects + " objects and more than " + maxPercent + " % of an inventory); "
                + OVERRIDE_HINT;
    }

    /** True when deleting {@code deletes} of an inventory of {@code size} objects is over the budget. */
    public boolean exceeds(int deletes, int size) {
        return deletes > maxObjects && (long) deletes * 100 > (long) maxPercent * size;
    }

    /** The plan with every deletion turned into a kept object carrying the reason; nothing else changes. */
    public static Plan hold(Plan plan, Verdict verdict) {
        if (!verdict.exceeded()) {
            return plan;
        }
        List<Change> changes = plan.changes().stream().map(c -> c.action() != Outcome.DELETED ? c
                : new Change(c.key(), c.apiVersion(), Outcome.KEPT, c.application(), c.scope(), c.desired(), c.live(),
                        Reason.PRUNE_BUDGET, verdict.reason())).toList();
        return new Plan(plan.environment(), plan.cluster(), changes, plan.previous(), plan.inventoried());
    }
}
