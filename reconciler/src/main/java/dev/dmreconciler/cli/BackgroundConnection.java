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
 * <p>Only when connecting is side-effect free ({@link EarlyConnect}: no exec credential plugin, no auth-provider);
 * otherwise the connection is made when first needed ({@link #client()}), after the environment rendered and passed
 * its policy, so invalid input or a violation stops with no cluster contact, as before. That decision is made on the
 * second thread too: reading the kubeconfig loads fabric8's model and Jackson (≈ 1,300 classes, a quarter of a second
 * on a cold JVM), which the render does not need. Either way errors surface at
 * {@link #client()}, an unreachable API server is reported naming its URL, and the reachability check's
 * {@code GET /version} is never counted. {@link #close()} waits for the second thread (interrupting a connection
 * nobody asked for), so no request of it is sent after the command returned.
 */
final class BackgroundConnection implements AutoCloseable {

    private final ClusterOptions cluster;
    private final RequestCounter counter;
    private final CompletableFuture<KubernetesClient> future = new CompletableFuture<>();
    private final Thread thread;

    private BackgroundConnection(ClusterOptions cluster, RequestCounter counter) {
        this.cluster = cluster;
        this.counter = counter;
        this.thread = new Thread(this::connectIfSideEffectFree, "connect");
        thread.setDaemon(true);
        thread.start();
    }

    static BackgroundConnection start(ClusterOptions cluster, RequestCounter counter) {
        return new BackgroundConnection(cluster, counter);
    }

    /** On the second thread: connects now when that is side-effect free; otherwise leaves it to {@link #client()}. */
    private void connectIfSideEffectFree() {
        if (EarlyConnect.sideEffectFree(cluster.kubeconfig, cluster.context) && !Thread.currentThread().isInterrupted()) {
            connect();
        }
    }

    private void connect() {
        try {
            future.complete(cluster.connect(counter));
        } catch (Throwable e) {
            future.completeExceptionally(e);
        }
    }

    /** The client, once connected; the connection's own error (an unreadable kubeconfig, an unreachable server). */
    KubernetesClient client() throws IOException {
        joinUninterruptibly(); // the decision, and when early the connection
        if (!future.isDone()) {
            connect(); // not side-effect free: connected now, after the render and the policy
        }
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

    /**
     * Closes the client. A connection still being made that nobody asked for (the environment did not render) is
     * interrupted, and its thread waited for: its reachability check's client is closed before this returns.
     */
    @Override
    public void close() {
        if (!future.isDone()) {
            thread.interrupt();
        }
        joinUninterruptibly();
        KubernetesClient client = future.isDone() && !future.isCompletedExceptionally() ? future.join() : null;
        if (client != null) {
            client.close();
        }
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
