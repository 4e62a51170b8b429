package dev.dmreconciler.plan;

import dev.dmreconciler.inventory.Inventory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired vs live for one environment: every change, in apply order, and the inventories it started from.
 * The live diff and the apply share this type, so what a diff shows is what an apply does.
 *
 * @param previous the environment's inventory per application before this pass
 */
public record Plan(String environment, String cluster, List<Change> changes, Map<String, Inventory> previous) {

    public static final String OPERATOR_SCOPE = "operator";

    /** Changes grouped by scope: operator scope first, then Data Manager namespaces by name. */
    public Map<String, List<Change>> byScope() {
        Map<String, List<Change>> grouped = new LinkedHashMap<>();
        grouped.put(OPERATOR_SCOPE, new java.util.ArrayList<>());
        Map<String, List<Change>> namespaces = new TreeMap<>();
        for (Change change : changes) {
            (change.scope() == null ? grouped.get(OPERATOR_SCOPE)
                    : namespaces.computeIfAbsent(change.scope(), s -> new java.util.ArrayList<>())).add(change);
        }
        grouped.putAll(namespaces);
        if (grouped.get(OPERATOR_SCOPE).isEmpty()) {
            grouped.remove(OPERATOR_SCOPE);
        }
        return grouped;
    }

    public long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }
}
