package dev.dmreconciler.diff;

import java.util.List;

/**
 * Everything that changes for one environment.
 *
 * @param unchanged objects that stay as they are
 * @param errors    problems that prevented a complete answer (render errors, API errors), each located
 */
public record EnvironmentDiff(String environment, List<ParamChange> parameters, List<ObjectDiff> objects, long unchanged,
                              List<String> errors) {

    public long count(ObjectDiff.Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).count();
    }
}
