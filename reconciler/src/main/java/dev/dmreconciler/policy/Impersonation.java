package dev.dmreconciler.policy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/**
 * The identity a pass runs as. With a ServiceAccount named, every request carries
 * {@code Impersonate-User: system:serviceaccount:<namespace>:<name>}, so Kubernetes RBAC decides what the pass may
 * do (as Flux's {@code serviceAccountName}). The derived client shares the reconciler's HTTP client, so requests
 * are still counted and retried; the reconciler needs {@code impersonate} on that ServiceAccount.
 */
public final class Impersonation {

    private Impersonation() {
    }

    /** The client a pass uses: the reconciler's own when {@code account} is null. */
    public static KubernetesClient as(KubernetesClient client, ServiceAccountRef account) {
        if (account == null) {
            return client;
        }
        RequestConfig config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withImpersonateUsername(account.username()).build();
        return client.newClient(config).adapt(KubernetesClient.class);
    }
}
