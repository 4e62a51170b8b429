package dev.dmreconciler.params;

import java.util.stream.Collectors;

/** The input (parameter files, bundles, templates) is wrong; carries every problem found, each located. */
public class InvalidInputException extends RuntimeException {

    private final transient Problems problems;

    public InvalidInputException(Problems problems) {
        super(problems.all().stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = problems;
    }

    public static InvalidInputException of(String where, String subject, String message) {
        Problems problems = new Problems();
        problems.error(where, subject, message);
        return new InvalidInputException(problems);
    }

    public Problems problems() {
        return problems;
    }
}
