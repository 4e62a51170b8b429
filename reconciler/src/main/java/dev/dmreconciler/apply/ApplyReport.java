package dev.dmreconciler.apply;

import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Summary;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one apply pass did, per scope (the environment scope, then each namespace).
 *
 * @param inventoriesWritten applications whose inventory changed and was written
 * @param inventoryErrors    inventories that could not be saved (the pass did not succeed)
 * @param warnings           what a person should know that is not a failure (an application removed from the
 *                           environment whose objects are kept)
 * @param environmentScope   how the text names the environment scope ({@link dev.dmreconciler.plan.ScopeLabel}:
 *                           "operator" for the Data Manager operators, "environment" for other applications)
 */
public record ApplyReport(Plan plan, List<Result> results, List<String> inventoriesWritten, List<String> inventoryErrors,
                          List<String> warnings, String environmentScope) {

    public ApplyReport {
        inventoryErrors = List.copyOf(inventoryErrors);
        warnings = List.copyOf(warnings);
    }

    public ApplyReport(Plan plan, List<Result> results, List<String> inventoriesWritten, List<String> inventoryErrors,
                       List<String> warnings) {
        this(plan, results, inventoriesWritten, inventoryErrors, warnings, Plan.OPERATOR_SCOPE);
    }

    public ApplyReport(Plan plan, List<Result> results, List<String> inventoriesWritten) {
        this(plan, results, inventoriesWritten, List.of(), List.of());
    }

    public ApplyReport withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new ApplyReport(plan, results, inventoriesWritten, inventoryErrors, all, environmentScope);
    }

    public ApplyReport withEnvironmentScope(String label) {
        return new ApplyReport(plan, results, inventoriesWritten, inventoryErrors, warnings, label);
    }

    public boolean succeeded() {
        return inventoryErrors.isEmpty() && results.stream().noneMatch(r -> r.outcome().notConverged());
    }

    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** Results grouped by scope, operator first, namespaces sorted. */
    public Map<String, List<Result>> byScope() {
        return Plan.groupByScope(results, r -> r.change().scopeName());
    }

    /** The one summary line ({@link Summary}): {@code Op: 3 create, 1 delete, 2 update, 40 noop, 1 refuse}. */
    public static String summary(List<Result> results) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        results.forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
        return Summary.line(counts);
    }

    /** Human-readable report: per scope a summary line and a line per object that was not unchanged. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("environment ").append(plan.environment()).append(" (cluster ").append(plan.cluster()).append(")\n");
        byScope().forEach((scope, scoped) -> {
            out.append(dev.dmreconciler.plan.ScopeLabel.display(scope, environmentScope)).append(": ")
                    .append(summary(scoped)).append('\n');
            for (Result result : scoped) {
                if (result.outcome() == Outcome.UNCHANGED) {
                    continue;
                }
                out.append("  ").append(result.outcome().word()).append(' ').append(result.change().key());
                if (result.message() != null && !result.message().isEmpty() && result.outcome() != Outcome.CREATED) {
                    out.append(": ").append(result.message());
                }
                out.append('\n');
                result.conflicts().forEach(c -> out.append("    forced conflict: ").append(c).append('\n'));
            }
        });
        inventoryErrors.forEach(e -> out.append("error: ").append(e).append('\n'));
        warnings.forEach(w -> out.append("warning: ").append(w).append('\n'));
        out.append("total: ").append(summary(results)).append('\n');
        return out.toString();
    }

    /** Machine-readable form (stable field names). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("environment", plan.environment());
        json.put("cluster", plan.cluster());
        json.put("succeeded", succeeded());
        List<Map<String, Object>> scopes = new ArrayList<>();
        byScope().forEach((scope, scoped) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scope", scope);
            entry.put("summary", summary(scoped));
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Result result : scoped) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("apiVersion", result.change().apiVersion());
                object.put("kind", result.change().key().kind());
                object.put("namespace", result.change().key().namespace());
                object.put("name", result.change().key().name());
                object.put("action", result.change().action().word());
                object.put("outcome", result.outcome().word());
                object.put("reason", result.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                object.put("message", result.message());
                object.put("conflicts", result.conflicts());
                objects.add(object);
            }
            entry.put("objects", objects);
            scopes.add(entry);
        });
        json.put("scopes", scopes);
        json.put("total", summary(results));
        json.put("inventoriesWritten", inventoriesWritten);
        json.put("inventoryErrors", inventoryErrors);
        json.put("warnings", warnings);
        return json;
    }
}
