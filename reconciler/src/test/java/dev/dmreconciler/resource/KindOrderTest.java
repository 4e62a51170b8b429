package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The apply order of kinds: definitions before their users, custom resources last. */
class KindOrderTest {

    @Test
    void builtInKindsAreRankedInApplyOrder() {
        List<String[]> order = List.of(new String[] {"apiextensions.k8s.io", "CustomResourceDefinition"},
                new String[] {"", "Namespace"}, new String[] {"rbac.authorization.k8s.io", "ClusterRole"},
                new String[] {"rbac.authorization.k8s.io", "ClusterRoleBinding"}, new String[] {"", "ServiceAccount"},
                new String[] {"rbac.authorization.k8s.io", "Role"}, new String[] {"rbac.authorization.k8s.io", "RoleBinding"},
                new String[] {"", "Secret"}, new String[] {"", "ConfigMap"}, new String[] {"", "PersistentVolumeClaim"},
                new String[] {"", "Service"}, new String[] {"apps", "Deployment"}, new String[] {"networking.k8s.io", "Ingress"},
                new String[] {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"});
        for (int i = 1; i < order.size(); i++) {
            assertTrue(KindOrder.rank(order.get(i - 1)[0], order.get(i - 1)[1]) < KindOrder.rank(order.get(i)[0], order.get(i)[1]),
                    order.get(i - 1)[1] + " before " + order.get(i)[1]);
        }
        assertEquals(KindOrder.rank("apps", "Deployment"), KindOrder.rank("batch", "Job"), "workloads share a stage");
    }

    @Test
    void customResourcesAndUnknownKindsComeLast() {
        int last = KindOrder.rank("example.com", "Widget");
        assertEquals(last, KindOrder.rank("example.com", "Deployment"), "a built-in name in another group is custom");
        assertEquals(last, KindOrder.rank("", "SomethingNew"));
        assertTrue(KindOrder.rank("admissionregistration.k8s.io", "MutatingWebhookConfiguration") < last);
    }
}
