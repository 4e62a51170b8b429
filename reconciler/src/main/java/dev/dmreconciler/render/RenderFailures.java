package dev.dmreconciler.render;

import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Render errors of one environment, each mistake once: a namespace-scope template with a typo fails the same way
 * in every namespace, and is reported once naming them all ("namespaces dm-a, dm-b") instead of once per namespace.
 */
public final class RenderFailures {

    /** The context {@link #reportInto} appends: " (environment E, application A[, namespace(s) …])". */
    private static final Pattern CONTEXT = Pattern.compile(
            "^(?<base>.*) \\(environment (?<env>[^,()]+), application (?<app>[^,()]+)(?<ns>, namespaces? [^()]*)?\\)$");

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

    /**
     * The render problems of several environments with each mistake once: a template error every environment
     * hits alike ("validate" renders them all) becomes one problem naming the environments and their namespaces.
     */
    public static Problems acrossEnvironments(Problems renderProblems) {
        Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
        Map<List<Object>, Problem> first = new LinkedHashMap<>();
        for (Problem problem : renderProblems.all()) {
            Matcher m = CONTEXT.matcher(problem.message());
            List<Object> key = m.matches()
                    ? List.of(problem.severity(), String.valueOf(problem.where()), String.valueOf(problem.subject()),
                            m.group("base"), m.group("app"))
                    : List.of(problem);
            first.putIfAbsent(key, problem);
            if (m.matches()) {
                groups.computeIfAbsent(key, k -> new ArrayList<>())
                        .add("environment " + m.group("env") + (m.group("ns") == null ? "" : m.group("ns")));
            }
        }
        Problems merged = new Problems();
        first.forEach((key, problem) -> {
            List<String> environments = groups.getOrDefault(key, List.of());
            if (environments.size() < 2) {
                merged.add(problem);
            } else {
                merged.add(new Problem(problem.severity(), problem.where(), problem.subject(), key.get(3)
                        + " (application " + key.get(4) + "; " + String.join("; ", environments) + ")"));
            }
        });
        return merged;
    }
}
