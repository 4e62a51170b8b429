package dev.dmreconciler.policy;

import dev.dmreconciler.params.Problem;
import dev.dmreconciler.resource.ObjectKey;

/**
 * An object an environment may not apply.
 *
 * @param template the template that rendered it (where to fix it)
 * @param detail   what the object does that the rule forbids ("binds ClusterRole cluster-admin")
 * @param source   the policy that decided: a file, or the built-in defaults
 */
public record Violation(String environment, ObjectKey key, String template, Rule rule, String detail, String source) {

    public Problem toProblem() {
        return Problem.error(template, key.toString(), message());
    }

    public String message() {
        return detail + " (rule " + rule.id() + " of " + source + ", environment " + environment + ")";
    }

    @Override
    public String toString() {
        return key + ": " + message();
    }
}
