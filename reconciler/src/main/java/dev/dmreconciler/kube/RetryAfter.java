package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Honours the API server's {@code Retry-After} on 429 (priority and fairness, max-in-flight limits): waits as
 * long as the server asks (capped) before the request is sent again. fabric8's own retry backs off by its
 * interval regardless of the header (measured: 2 s asked, about 0.3 s waited).
 */
final class RetryAfter implements Interceptor {

    static final long MAX_WAIT_SECONDS = 30;

    private final RequestCounter counter;
    private final long maxWaitSeconds;
    private final WriteFence fence;

    RetryAfter(RequestCounter counter) {
        this(counter, MAX_WAIT_SECONDS, null);
    }

    /**
     * @param maxWaitSeconds the longest wait before the resend
     * @param fence when not null, a write is resent only if the fence still permits it after the wait (the
     *     resend bypasses the interceptors' before())
     */
    RetryAfter(RequestCounter counter, long maxWaitSeconds, WriteFence fence) {
        this.counter = counter;
        this.maxWaitSeconds = maxWaitSeconds;
        this.fence = fence;
    }

    @Override
    public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
        if (response.code() != 429) {
            return CompletableFuture.completedFuture(false);
        }
        long seconds = seconds(response.header("Retry-After"));
        if (seconds <= 0) {
            return CompletableFuture.completedFuture(false); // no header: fabric8's backoff handles it
        }
        String method = response.request().method();
        return CompletableFuture.supplyAsync(() -> {
            if (fence != null && !"GET".equals(method) && !fence.permits()) {
                return false; // the lease no longer covers the resend: the 429 stands
            }
            counter.record(method); // a resend that bypasses the interceptors' before()
            return true;
        }, CompletableFuture.delayedExecutor(Math.min(seconds, maxWaitSeconds), TimeUnit.SECONDS));
    }

    static long seconds(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0; // an HTTP date: rare from the API server; the backoff applies
        }
    }
}
