package dev.dmreconciler.plan;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one summary line of apply, diff, logs and /status, in kapp's form:
 * {@code Op: 3 create, 1 delete, 2 update, 40 noop}, followed by the counts of the other outcomes when there are
 * any ({@code , 1 replace, 2 adopt, 1 refuse, 1 keep, 3 skip, 1 fail}). Each word is the plan's verb for one
 * {@link Outcome}: create = created, delete = deleted, update = configured, noop = unchanged.
 */
public final class Summary {

    private static final List<Outcome> EXTRA = List.of(Outcome.REPLACED, Outcome.ADOPTED, Outcome.REFUSED, Outcome.KEPT,
            Outcome.SKIPPED, Outcome.FAILED);

    private Summary() {
    }

    /** The verb of an outcome in the summary line. */
    public static String verb(Outcome outcome) {
        return switch (outcome) {
            case CREATED -> "create";
            case DELETED -> "delete";
            case CONFIGURED -> "update";
            case UNCHANGED -> "noop";
            case REPLACED -> "replace";
            case ADOPTED -> "adopt";
            case REFUSED -> "refuse";
            case KEPT -> "keep";
            case SKIPPED -> "skip";
            case FAILED -> "fail";
        };
    }

    public static String line(Map<Outcome, Long> counts) {
        Map<Outcome, Long> all = new EnumMap<>(Outcome.class);
        all.putAll(counts);
        StringBuilder line = new StringBuilder(String.format("Op: %d create, %d delete, %d update, %d noop",
                all.getOrDefault(Outcome.CREATED, 0L), all.getOrDefault(Outcome.DELETED, 0L),
                all.getOrDefault(Outcome.CONFIGURED, 0L), all.getOrDefault(Outcome.UNCHANGED, 0L)));
        for (Outcome extra : EXTRA) {
            long count = all.getOrDefault(extra, 0L);
            if (count > 0) {
                line.append(", ").append(count).append(' ').append(verb(extra));
            }
        }
        return line.toString();
    }
}
