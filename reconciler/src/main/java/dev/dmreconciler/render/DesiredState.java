package dev.dmreconciler.render;

import dev.dmreconciler.params.Environment;
import dev.dmreconciler.resource.RenderedObject;
import java.util.List;

/**
 * Everything one environment wants in the cluster, in apply order.
 *
 * @param absentApplications applications the environment marks absent (nothing desired; apply removes them)
 * @param preconditions      objects that must exist before the objects they guard are applied
 */
public record DesiredState(Environment environment, List<RenderedObject> objects, List<String> absentApplications,
                           List<RequiredObject> preconditions) {

    public DesiredState(Environment environment, List<RenderedObject> objects, List<String> absentApplications) {
        this(environment, objects, absentApplications, List.of());
    }
}
