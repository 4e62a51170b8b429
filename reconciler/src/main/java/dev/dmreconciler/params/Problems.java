package dev.dmreconciler.params;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in one pass, so a person sees all of them at once rather than one per run. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(Problem problem) {
        list.add(problem);
    }

    public void error(String where, String subject, String message) {
        add(Problem.error(where, subject, message));
    }

    public void warning(String where, String subject, String message) {
        add(Problem.warning(where, subject, message));
    }

    public void addAll(Problems other) {
        list.addAll(other.list);
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(Problem::isError);
    }

    public List<Problem> all() {
        return List.copyOf(list);
    }

    public long errorCount() {
        return list.stream().filter(Problem::isError).count();
    }

    public long warningCount() {
        return list.size() - errorCount();
    }

    /** Throws when anything so far was an error, carrying all problems (warnings included). */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new InvalidInputException(this);
        }
    }
}
