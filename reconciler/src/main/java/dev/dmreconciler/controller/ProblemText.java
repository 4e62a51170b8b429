package dev.dmreconciler.controller;

import dev.dmreconciler.params.Problem;
import java.util.regex.Pattern;

/**
 * A problem as /status and the log show it: the file, line and key, and the message with every quoted value
 * masked ({@code jo_state: '…' is not one of [present, absent]}). A parameter value may be a secret nobody
 * marked secret (a token pasted into the wrong key); the key and the location are enough to find it, and the
 * CLI's {@code validate} shows the value to whoever holds the file. Suggested key names stay readable.
 */
final class ProblemText {

    private static final Pattern QUOTED_VALUE = Pattern.compile("(?<!did you mean )'[^'\\n]*'");

    private ProblemText() {
    }

    static String of(Problem problem) {
        String location = problem.where() == null || problem.where().isEmpty() ? "" : problem.where() + ": ";
        String about = problem.subject() == null || problem.subject().isEmpty() ? "" : problem.subject() + ": ";
        return location + about + maskValues(problem.message());
    }

    static String maskValues(String message) {
        return message == null ? "" : QUOTED_VALUE.matcher(message).replaceAll("'…'");
    }
}
