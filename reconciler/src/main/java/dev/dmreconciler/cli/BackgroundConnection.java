package dev.dmreconciler.cli;

import dev.dmreconciler.kube.RequestCounter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cluster connection of a one-shot command ({@code apply}, live {@code diff}), made on a second thread while the
 * main thread loads and renders the environment. On a cold JVM both sides cost a few hundred milliseconds of CPU
 * (the HTTP client, TLS and Jackson; FreeMarker and the templates), and the machine has a second core; measured at
 * 300 namespaces this takes most of the connection off the no-op's wall time.
 *
 * <p>Nothing else changes: the client is the same, errors surface where it is first needed ({@link #client()}), so
 * an invalid environment or a policy violation is still reported first, before any counted request (the
 * reachability check's {@code GET /version} may have been sent meanwhile; it never was counted), and an
 * unreachable API server is still reported naming its URL.
 */
final class BackgroundConnection implements AutoCloseable {

    private final CompletableFuture<KubernetesClient> future = new CompletableFuture<>();

    private BackgroundConnection(ClusterOptions cluster, RequestCounter counter) {
        Thread thread = new Thread(() -> {
            try {
                future.complete(cluster.connect(counter));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "connect");
        thread.setDaemon(true); // an abandoned attempt (the environment did not render) never holds the process
        thread.start();
    }

    static BackgroundConnection start(ClusterOptions cluster, RequestCounter counter) {
        return new BackgroundConnection(cluster, counter);
    }

    /** The client, once connected; the connection's own error (an unreadable kubeconfig, an unreachable server). */
    KubernetesClient client() throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Closes the client, now or, for a connection still being made, as soon as it is made. */
    @Override
    public void close() {
        future.whenComplete((client, error) -> {
            if (client != null) {
                client.close();
            }
        });
    }
}
