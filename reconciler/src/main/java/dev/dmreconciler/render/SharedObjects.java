package dev.dmreconciler.render;

import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Environments on one cluster share its operator-scope objects (the CRD, cluster RBAC, the operator). When
 * two of them render such an object differently they would overwrite each other on every pass, so that is an
 * error naming both environments (typically two Ansible parameter files of different clusters in one repository
 * without {@code reconciler_cluster:}, or two image tags for one operator).
 */
public final class SharedObjects {

    private SharedObjects() {
    }

    public static Problems check(List<DesiredState> states) {
        Problems problems = new Problems();
        Map<String, Map<ObjectKey, Owner>> byCluster = new HashMap<>();
        for (DesiredState state : states) {
            Map<ObjectKey, Owner> seen = byCluster.computeIfAbsent(state.environment().cluster(), c -> new HashMap<>());
            for (RenderedObject object : state.objects()) {
                if (object.dmNamespace() != null) {
                    continue; // per-namespace objects belong to one environment
                }
                // the content's hash, not its printed text: printing hides every Secret value, so two Secrets
                // with different passwords would compare equal (and flip the live one back and forth every pass)
                String content = Stamp.hash(object.body());
                Owner previous = seen.putIfAbsent(object.key(), new Owner(state.environment().name(), content));
                if (previous != null && !previous.content().equals(content)) {
                    problems.error(state.environment().file(), object.key().toString(), "environments "
                            + previous.environment() + " and " + state.environment().name() + " of cluster "
                            + state.environment().cluster() + " render it differently and would overwrite each other;"
                            + " give them different clusters (cluster:, or reconciler_cluster: in an Ansible file)"
                            + " or the same values");
                }
            }
        }
        return problems;
    }

    private record Owner(String environment, String content) {
    }
}
