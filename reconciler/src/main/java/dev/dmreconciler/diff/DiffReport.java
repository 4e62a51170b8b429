package dev.dmreconciler.diff;

import java.util.List;

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

    /** kapp style: {@code Op: 3 create, 0 delete, 2 update, 40 noop}. */
    public String summary() {
        long noop = environments.stream().mapToLong(EnvironmentDiff::unchanged).sum() + count(ObjectDiff.Kind.KEEP);
        return String.format("Op: %d create, %d delete, %d update, %d noop", count(ObjectDiff.Kind.CREATE),
                count(ObjectDiff.Kind.DELETE), count(ObjectDiff.Kind.UPDATE), noop);
    }
}
