package dev.dmreconciler.render;

import dev.dmreconciler.params.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Render errors of one environment, each mistake once: a namespace-scope template with a typo fails the same way
 * in every namespace, and is reported once naming them all ("namespaces dm-a, dm-b") instead of once per namespace.
 */
final class RenderFailures {

    private record Failure(String where, String message, String application) {
    }

    private final String environment;
    private final Map<Failure, List<String>> namespaces = new LinkedHashMap<>();

    RenderFailures(String environment) {
        this.environment = environment;
    }

    /** @param namespace the namespace rendered for, or null for environment scope */
    void add(String where, String message, String application, String namespace) {
        List<String> seen = namespaces.computeIfAbsent(new Failure(where, message, application), f -> new ArrayList<>());
        if (namespace != null && !seen.contains(namespace)) {
            seen.add(namespace);
        }
    }

    boolean isEmpty() {
        return namespaces.isEmpty();
    }

    /** Adds each failure once to {@code problems} and forgets them. */
    void reportInto(Problems problems) {
        namespaces.forEach((failure, in) -> problems.error(failure.where(), null, failure.message()
                + " (environment " + environment + ", application " + failure.application()
                + (in.isEmpty() ? "" : (in.size() == 1 ? ", namespace " : ", namespaces ") + String.join(", ", in)) + ")"));
        namespaces.clear();
    }
}
