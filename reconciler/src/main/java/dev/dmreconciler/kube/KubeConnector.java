package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds API clients: from a kubeconfig file and optional context, or the usual discovery (KUBECONFIG,
 * ~/.kube/config, in-cluster service account). Every client counts its requests; 429 and 5xx answers are
 * retried with exponential backoff, and a 429's Retry-After is waited out ({@link RetryAfter}).
 *
 * <p>The long-running controller gets a different client ({@link #forController}): no client retries (its work
 * queue retries the whole pass with backoff), short timeouts, a capped Retry-After and a {@link WriteFence},
 * so that no request of a leader outlives its lease (see {@link #CONTROLLER_REQUEST_BOUND}).
 */
public final class KubeConnector {

    /** Per-request timeout of the controller's client. */
    public static final Duration CONTROLLER_REQUEST_TIMEOUT = Duration.ofSeconds(4);
    /** TCP connect timeout of the controller's client. */
    public static final Duration CONTROLLER_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The longest one request of the controller's client can take: fabric8 bounds an attempt by its request
     * timeout plus as much again (capped at 5 s), and the client does not retry. A write is started only with at
     * least this much of the lease left. A 429's Retry-After wait is capped at {@link #CONTROLLER_MAX_RETRY_AFTER}
     * and the resend is fenced again.
     */
    public static final Duration CONTROLLER_REQUEST_BOUND = Duration.ofSeconds(8);
    public static final Duration CONTROLLER_MAX_RETRY_AFTER = Duration.ofSeconds(2);

    private KubeConnector() {
    }

    public static KubernetesClient connect(Path kubeconfig, String context, RequestCounter counter) throws IOException {
        return connect(config(kubeconfig, context), counter);
    }

    /**
     * One GET /version without retries (and outside any request count): an API server that cannot be reached is
     * reported at once, naming its URL and the cause, instead of after every retry of the first real request.
     * An HTTP error answer (401, 403, …) means it is reachable; the real request reports that.
     *
     * @throws ApiServerUnreachableException when no HTTP answer came (refused, timed out, unknown host, TLS)
     */
    public static void requireReachable(Config config) {
        long timeout = Math.max(1000, (long) config.getConnectionTimeout() + config.getRequestTimeout());
        Config once = new io.fabric8.kubernetes.client.ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
        java.util.concurrent.CompletableFuture<?> sent = null;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once)
                .withHttpClientFactory(new OpenSslClientFactory(once)).build()) {
            var http = client.getHttpClient();
            String url = config.getMasterUrl().endsWith("/") ? config.getMasterUrl() : config.getMasterUrl() + "/";
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(); // abandoned before anything was sent: send nothing
            }
            sent = http.sendAsync(http.newHttpRequestBuilder().uri(url + "version").build(), String.class);
            sent.get(timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ApiServerUnreachableException(config.getMasterUrl(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiServerUnreachableException(config.getMasterUrl(),
                    new java.net.SocketTimeoutException("no answer within " + timeout + " ms"));
        } catch (InterruptedException e) {
            // the client is closed by now, which fails a request still in flight: wait for that, so that nothing
            // of this check reaches the server after the caller gave up (a one-shot command that already returned)
            awaitQuietly(sent, timeout);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching the API server", e);
        }
    }

    private static void awaitQuietly(java.util.concurrent.CompletableFuture<?> sent, long timeoutMillis) {
        if (sent == null) {
            return;
        }
        try {
            sent.handle((ok, error) -> null).get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // gave up waiting; the client is closed either way
        }
    }

    /** The client configuration from a kubeconfig file and context, or the usual discovery when the file is null. */
    public static Config config(Path kubeconfig, String context) throws IOException {
        if (kubeconfig != null) {
            return Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        }
        return Config.autoConfigure(context);
    }

    public static KubernetesClient connect(Config config, RequestCounter counter) {
        return connect(config, counter, 6);
    }

    /** @param retries how often a failed request (5xx, 429, connection error) is retried, backing off from 250 ms */
    public static KubernetesClient connect(Config config, RequestCounter counter, int retries) {
        config.setRequestRetryBackoffLimit(retries);
        config.setRequestRetryBackoffInterval(250);
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new OpenSslClientFactory(config))
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("request-counter", counter)
                        .addOrReplaceInterceptor("retry-after", new RetryAfter(counter)))
                .build();
    }

    /**
     * The long-running controller's client: every request bounded by {@link #CONTROLLER_REQUEST_BOUND}, no
     * client retries, writes only while {@code fence} permits (checked again before a Retry-After resend).
     */
    public static KubernetesClient forController(Config config, RequestCounter counter, WriteFence fence) {
        config.setRequestRetryBackoffLimit(0);
        config.setRequestTimeout((int) CONTROLLER_REQUEST_TIMEOUT.toMillis());
        config.setConnectionTimeout((int) CONTROLLER_CONNECT_TIMEOUT.toMillis());
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("write-fence", fence)
                        .addOrReplaceInterceptor("request-counter", counter)
                        .addOrReplaceInterceptor("retry-after",
                                new RetryAfter(counter, CONTROLLER_MAX_RETRY_AFTER.toSeconds(), fence)))
                .build();
    }
}
