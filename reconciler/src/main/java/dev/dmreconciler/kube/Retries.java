package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Retries of writes decided per error, not per status code alone. fabric8 retries every 5xx, so a Service port
 * without {@code protocol} ("failed to create typed patch object … associative list with keys has an element
 * that omits key field") was sent seven times and cost 16 s per pass although it can never succeed. Here a
 * write is tried through a client with fabric8's retries off, and an error is retried only when another
 * attempt can change the answer: no answer at all, 408, 429, 502–504, and 500s other than the API server's
 * deterministic field-manager (typed patch) errors. Everything else — 4xx (422 invalid or immutable field, 409
 * conflict, 403, 404) and the deterministic 500s — is reported after one attempt; the next pass re-plans.
 * The number of retries and the first backoff are the client's ({@link KubeConnector}).
 */
public final class Retries {

    /** Message parts of 500s the API server gives for a patch it can never accept (structured-merge-diff). */
    static final List<String> PERMANENT_500 = List.of(
            "failed to create typed patch object",
            "failed to create typed live object",
            "associative list with keys has an element that omits key field",
            "duplicate entries for key",
            "field not declared in schema",
            "failed to create manager for existing fields");

    private final KubernetesClient client;
    private final int retries;
    private final long firstBackoffMillis;

    private Retries(KubernetesClient client, int retries, long firstBackoffMillis) {
        this.client = client;
        this.retries = retries;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    /** Retries as configured for {@code client}; {@link #client()} is the same client without fabric8's own. */
    public static Retries of(KubernetesClient client) {
        RequestConfig config = requestConfig(client);
        int retries = config.getRequestRetryBackoffLimit() == null ? 0 : Math.max(0, config.getRequestRetryBackoffLimit());
        long interval = config.getRequestRetryBackoffInterval() == null ? 250 : config.getRequestRetryBackoffInterval();
        RequestConfig once = new RequestConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
        return new Retries(client.newClient(once).adapt(KubernetesClient.class), retries, interval);
    }

    /**
     * The request settings the client actually sends with: those of a client derived with
     * {@code newClient(RequestConfig)} (e.g. impersonating a ServiceAccount, see policy.Impersonation), which
     * {@code getConfiguration()} does not show, else the configuration's.
     */
    private static RequestConfig requestConfig(KubernetesClient client) {
        if (client instanceof io.fabric8.kubernetes.client.impl.BaseClient base && base.getOperationContext() != null
                && base.getOperationContext().getRequestConfig() != null) {
            return base.getOperationContext().getRequestConfig();
        }
        return client.getConfiguration().getRequestConfig();
    }

    /** The client to build retried operations with: each request is sent once by fabric8. */
    public KubernetesClient client() {
        return client;
    }

    /** Runs {@code operation}, retrying transient errors with exponential backoff. */
    public <T> T call(Supplier<T> operation) {
        long backoff = firstBackoffMillis;
        for (int attempt = 0; ; attempt++) {
            try {
                return operation.get();
            } catch (KubernetesClientException e) {
                if (attempt >= retries || !isTransient(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 32_000);
            }
        }
    }

    public void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    /** Whether another attempt could succeed. */
    public static boolean isTransient(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return isTransient(e.getCode(), message);
    }

    static boolean isTransient(int code, String message) {
        if (code <= 0) {
            return true; // no answer: connection refused or reset, timeout
        }
        if (code == 408 || code == 429) {
            return true;
        }
        if (code == 500) {
            String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
            return PERMANENT_500.stream().noneMatch(lower::contains);
        }
        return code >= 502 && code <= 504 || code > 505 && code < 600;
    }
}
