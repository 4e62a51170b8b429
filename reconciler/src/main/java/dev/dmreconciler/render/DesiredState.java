package dev.dmreconciler.render;

import dev.dmreconciler.params.Environment;
import dev.dmreconciler.resource.RenderedObject;
import java.util.List;

/**
 * Everything one environment wants in the cluster, in apply order.
 *
 * @param absentApplications applications the environment marks absent (nothing desired; apply removes them)
 */
public record DesiredState(Environment environment, List<RenderedObject> objects, List<String> absentApplications) {
}
