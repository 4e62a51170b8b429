package dev.dmreconciler.diff;

import java.util.List;

/**
 * Everything that changes for one environment.
 *
 * @param unchanged objects that stay as they are
 * @param errors    problems that prevented a complete answer (render errors, API errors), each located
 * @param environmentScope how the text names the environment scope ("operator", "environment"; see ScopeLabel)
 */
public record EnvironmentDiff(String environment, List<ParamChange> parameters, List<ObjectDiff> objects, long unchanged,
                              List<String> errors, String environmentScope) {

    public EnvironmentDiff(String environment, List<ParamChange> parameters, List<ObjectDiff> objects, long unchanged,
                           List<String> errors) {
        this(environment, parameters, objects, unchanged, errors, dev.dmreconciler.plan.Plan.OPERATOR_SCOPE);
    }

    /** A scope as the text names it. */
    public String display(String scope) {
        return dev.dmreconciler.plan.ScopeLabel.display(scope, environmentScope);
    }

    public long count(ObjectDiff.Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).count();
    }
}
