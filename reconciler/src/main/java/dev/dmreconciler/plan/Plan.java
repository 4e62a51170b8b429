package dev.dmreconciler.plan;

import dev.dmreconciler.inventory.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Desired vs live for one environment: every change, in apply order, and the inventories it started from.
 * The live diff and the apply share this type, so what a diff shows is what an apply does.
 *
 * @param previous    the environment's inventory per application before this pass
 * @param inventoried every object in an inventory of these applications on the cluster (any environment): what a
 *                    Namespace may hold without blocking its deletion
 */
public record Plan(String environment, String cluster, List<Change> changes, Map<String, Inventory> previous,
                   java.util.Set<dev.dmreconciler.resource.ObjectKey> inventoried) {

    public static final String OPERATOR_SCOPE = "operator";

    /** Changes grouped by scope: operator scope first, then Data Manager namespaces by name. */
    public Map<String, List<Change>> byScope() {
        return groupByScope(changes, Change::scopeName);
    }

    /** Items grouped by scope name in report order: the operator scope first, then namespaces sorted. */
    public static <T> Map<String, List<T>> groupByScope(List<T> items, Function<T, String> scope) {
        Map<String, List<T>> namespaces = new TreeMap<>();
        List<T> operator = new ArrayList<>();
        for (T item : items) {
            String name = scope.apply(item);
            (name.equals(OPERATOR_SCOPE) ? operator : namespaces.computeIfAbsent(name, s -> new ArrayList<>())).add(item);
        }
        Map<String, List<T>> grouped = new LinkedHashMap<>();
        if (!operator.isEmpty()) {
            grouped.put(OPERATOR_SCOPE, operator);
        }
        grouped.putAll(namespaces);
        return grouped;
    }
}
