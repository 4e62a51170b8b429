package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The last line of the leader's write fence, in the HTTP client itself: a write request (POST, PUT, PATCH,
 * DELETE) is not sent unless the permit holds at the moment it would go out, whatever code path made it
 * (apply, prune, inventory, Events). The coordination Lease itself is exempt: it is how the permit is earned.
 * Callers check the permit first ({@code mayWrite}); this catches whatever they did not.
 *
 * <p>Used with a client that does not retry (see {@link KubeConnector#forController}), so that a refused write
 * fails its caller at once rather than inside a scheduled retry.
 */
public final class WriteFence implements Interceptor {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String LEASES = "/apis/coordination.k8s.io/";

    private volatile BooleanSupplier permit = () -> true;
    private final ThreadLocal<Boolean> bootstrapping = ThreadLocal.withInitial(() -> false);

    /** From now on, writes go out only while {@code permit} holds. */
    public void permitWhile(BooleanSupplier permit) {
        this.permit = permit;
    }

    public boolean permits() {
        return permit.getAsBoolean();
    }

    /**
     * Runs {@code action} with the fence open on this thread: for what a replica must write before it can
     * lead at all (the Lease's namespace). The client does not retry, so every request of the action is sent
     * from this thread.
     */
    public void unfenced(Runnable action) {
        bootstrapping.set(true);
        try {
            action.run();
        } finally {
            bootstrapping.set(false);
        }
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (WRITES.contains(request.method()) && !request.uri().getRawPath().startsWith(LEASES)
                && !bootstrapping.get() && !permits()) {
            throw new KubernetesClientException("not written: write fence closed (leadership lost or not held long "
                    + "enough for the request's timeout, or shutting down): " + request.method() + " " + request.uri().getRawPath());
        }
    }
}
