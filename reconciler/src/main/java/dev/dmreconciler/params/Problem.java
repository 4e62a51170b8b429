package dev.dmreconciler.params;

/**
 * One thing wrong with the input, located as precisely as known: {@code where} is a file with an
 * optional line ("environments/staging.yaml:4"), {@code subject} the key, template or object involved.
 */
public record Problem(Severity severity, String where, String subject, String message) {

    public enum Severity { ERROR, WARNING }

    public static Problem error(String where, String subject, String message) {
        return new Problem(Severity.ERROR, where, subject, message);
    }

    public static Problem warning(String where, String subject, String message) {
        return new Problem(Severity.WARNING, where, subject, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        String prefix = severity == Severity.ERROR ? "error" : "warning";
        String location = where == null || where.isEmpty() ? "" : where + ": ";
        String about = subject == null || subject.isEmpty() ? "" : subject + ": ";
        return prefix + ": " + location + about + message;
    }
}
