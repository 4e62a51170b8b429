package dev.dmreconciler.diff;

import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Summary;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The answer of a diff: per environment, parameter and object changes. Shared by every output format. */
public record DiffReport(String title, List<EnvironmentDiff> environments) {

    public boolean hasChanges() {
        return environments.stream().anyMatch(e -> !e.objects().isEmpty() || !e.parameters().isEmpty());
    }

    public boolean hasErrors() {
        return environments.stream().anyMatch(e -> !e.errors().isEmpty());
    }

    public long count(ObjectDiff.Kind kind) {
        return environments.stream().mapToLong(e -> e.count(kind)).sum();
    }

    /** The one summary line, as apply's ({@link Summary}): {@code Op: 3 create, 0 delete, 2 update, 40 noop}. */
    public String summary() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (ObjectDiff.Kind kind : ObjectDiff.Kind.values()) {
            counts.merge(kind.outcome(), count(kind), Long::sum);
        }
        counts.put(Outcome.UNCHANGED, environments.stream().mapToLong(EnvironmentDiff::unchanged).sum());
        return Summary.line(counts);
    }
}
