package dev.dmreconciler.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.dmreconciler.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP port: probes, status, metrics and the git webhook.
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the process serves (liveness).
 *   <li>{@code GET /readyz}: 200 once {@link StatusSource#ready()}, else 503.
 *   <li>{@code GET /status}: {@link StatusSource#status()} as pretty-printed JSON.
 *   <li>{@code GET /metrics}: {@link Metrics#scrape()} in the Prometheus text format.
 *   <li>{@code POST /hooks/git}: a GitHub-style delivery signed with {@code X-Hub-Signature-256}; a valid one
 *       runs {@code onWebhook} (202), a valid {@code ping} event only answers (200). Absent (404) when no
 *       secret is configured, so an unsigned trigger can never be switched on by accident.
 * </ul>
 *
 * Probes can never be starved by other clients. The port is served by one event loop (Vert.x, already the API
 * client's transport), so a client that sends its request or its body slowly holds no thread: it holds a connection,
 * and each connection must complete its request headers within {@link #HEADER_DEADLINE} (between requests too) or
 * is closed, at most {@link #MAX_CONNECTIONS} are open at once, and a webhook body must arrive within
 * {@link #WEBHOOK_READ_DEADLINE}. (The JDK's server read headers on a pool thread each: 16 clients sending their
 * headers at one byte a second took every thread and failed the liveness probe — review S12-F3.) A webhook delivery
 * is checked before any of its body is read (signature header present, declared length within the limit); at most
 * {@link #WEBHOOK_CONCURRENCY} are read at once, a delivery beyond that is answered 503 at once. An answer sent
 * before the body was read closes the connection. /status and /metrics are built on a worker thread, never on the
 * event loop. Neither the secret nor a request body is ever logged or echoed.
 */
public final class StatusServer implements AutoCloseable {

    /** Open connections at most; more are closed as they arrive. */
    static final int MAX_CONNECTIONS = 1024;
    /** A connection's request line and headers must have arrived within this time (from connect, or the last answer). */
    static final Duration HEADER_DEADLINE = Duration.ofSeconds(5);
    /** Webhook deliveries read at once; more are answered 503 without reading them. */
    static final int WEBHOOK_CONCURRENCY = 2;
    /** A webhook body must have arrived within this time. */
    static final Duration WEBHOOK_READ_DEADLINE = Duration.ofSeconds(10);
    static final String EVENT_HEADER = "X-GitHub-Event";

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectWriter JSON = new ObjectMapper().writerWithDefaultPrettyPrinter();
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final InetSocketAddress address;
    private final StatusSource source;
    private final Metrics metrics;
    private final byte[] webhookSecret;
    private final Runnable onWebhook;
    private final int maxBodyBytes;
    private final Map<String, HttpMethod> routes;

    private Vertx vertx;
    private HttpServer server;
    /** Event-loop state (one event loop: no locking): each open connection's header deadline timer, or -1. */
    private final Map<HttpConnection, Long> connections = new HashMap<>();
    private int deliveries;

    /**
     * @param address where to listen; port 0 picks a free one, see {@link #port()}
     * @param webhookSecret null disables the webhook ({@code POST /hooks/git} answers 404); never empty, since
     *     an empty key would let anyone sign
     * @param onWebhook called on the event loop after a valid delivery, before the 202 goes out; must be quick
     *     (signal the reconcile loop, do not reconcile); may be null when the webhook is disabled
     * @param maxBodyBytes the largest webhook body accepted (413 above it); at most this plus one read buffer is
     *     ever held in memory
     */
    public StatusServer(InetSocketAddress address, StatusSource source, Metrics metrics, byte[] webhookSecret,
            Runnable onWebhook, int maxBodyBytes) {
        this.address = Objects.requireNonNull(address, "address");
        this.source = Objects.requireNonNull(source, "source");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (webhookSecret != null) {
            if (webhookSecret.length == 0) {
                throw new IllegalArgumentException("webhook secret must not be empty; pass null to disable the webhook");
            }
            Objects.requireNonNull(onWebhook, "onWebhook is required when a webhook secret is set");
        }
        if (maxBodyBytes <= 0 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + (Integer.MAX_VALUE - 1) + ": " + maxBodyBytes);
        }
        this.webhookSecret = webhookSecret == null ? null : webhookSecret.clone();
        this.onWebhook = onWebhook;
        this.maxBodyBytes = maxBodyBytes;
        Map<String, HttpMethod> paths = new HashMap<>(Map.of("/healthz", HttpMethod.GET, "/readyz", HttpMethod.GET,
                "/status", HttpMethod.GET, "/metrics", HttpMethod.GET));
        if (webhookSecret != null) {
            paths.put("/hooks/git", HttpMethod.POST);
        }
        this.routes = Map.copyOf(paths);
    }

    public synchronized void start() throws IOException {
        if (vertx != null) {
            throw new IllegalStateException("a status server starts only once");
        }
        // its own small instance: one event loop, two workers for /status and /metrics, daemon threads
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true));
        HttpServer created = vertx.createHttpServer(new HttpServerOptions().setHost(address.getHostString())
                .setPort(address.getPort()).setMaxInitialLineLength(4096).setMaxHeaderSize(16 * 1024)
                .setCompressionSupported(false).setHandle100ContinueAutomatically(false)
                // HTTP/1 only: with h2c's detection the connection (and its header deadline) would start only once
                // the first request is complete
                .setHttp2ClearTextEnabled(false));
        created.connectionHandler(this::connected);
        created.requestHandler(this::dispatch);
        try {
            server = created.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while starting the status server", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot listen on " + address + ": " + cause.getMessage(), cause);
        }
    }

    /** The bound port, which differs from the configured one when that was 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("status server not running");
        }
        return server.actualPort();
    }

    /** Stops at once: open connections are closed, in-flight answers are cut off, and the threads end. */
    @Override
    public void close() {
        Vertx stopping;
        synchronized (this) {
            stopping = vertx;
            server = null;
        }
        if (stopping != null) {
            try {
                stopping.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("status server stop: {}", e.toString());
            }
        }
    }

    /** A new connection: counted, closed beyond the limit, and given its header deadline. */
    private void connected(HttpConnection connection) {
        if (connections.size() >= MAX_CONNECTIONS) {
            LOG.warn("connection from {} closed: {} connections open", connection.remoteAddress(), MAX_CONNECTIONS);
            connection.close();
            return;
        }
        connections.put(connection, -1L);
        connection.closeHandler(v -> {
            Long timer = connections.remove(connection);
            if (timer != null && timer >= 0) {
                vertx.cancelTimer(timer);
            }
        });
        awaitHeaders(connection);
    }

    /** The next request's headers must arrive within {@link #HEADER_DEADLINE}, or the connection is closed. */
    private void awaitHeaders(HttpConnection connection) {
        if (!connections.containsKey(connection)) {
            return; // closed meanwhile
        }
        connections.put(connection, vertx.setTimer(HEADER_DEADLINE.toMillis(), id -> {
            if (connections.replace(connection, -1L) != null) {
                LOG.debug("connection from {} closed: no request headers within {} s", connection.remoteAddress(),
                        HEADER_DEADLINE.toSeconds());
                connection.close();
            }
        }));
    }

    private void headersArrived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        Long timer = connections.replace(connection, -1L);
        if (timer != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
        request.response().endHandler(v -> awaitHeaders(connection)); // keep-alive: the next request's deadline
    }

    private void dispatch(HttpServerRequest request) {
        headersArrived(request);
        String path = request.path();
        HttpMethod method = routes.get(path);
        if (method == null) {
            respond(request, 404, "not found\n");
        } else if (!method.equals(request.method())) {
            request.response().putHeader("Allow", method.name());
            respond(request, 405, "method not allowed\n");
        } else {
            switch (path) {
                case "/healthz" -> quick(request, () -> source.live() ? answer(200, "ok\n") : answer(503, "not live\n"));
                case "/readyz" -> quick(request, () -> source.ready() ? answer(200, "ready\n") : answer(503, "not ready\n"));
                case "/status" -> onWorker(request, this::statusJson);
                case "/metrics" -> onWorker(request, () -> new Answer(200, PROMETHEUS_TEXT,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)));
                default -> webhook(request);
            }
        }
    }

    private record Answer(int code, String contentType, byte[] body) {
    }

    private static Answer answer(int code, String text) {
        return new Answer(code, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An answer computed on the event loop (the probes: flags read, nothing waited for). */
    private void quick(HttpServerRequest request, Supplier<Answer> work) {
        Answer answer;
        try {
            answer = work.get();
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), request.path(), e);
            answer = answer(500, "internal error\n");
        }
        send(request, answer);
    }

    /** An answer computed on a worker thread (it may take a while: never on the event loop). */
    private void onWorker(HttpServerRequest request, Supplier<Answer> work) {
        Future<Answer> computed = vertx.executeBlocking(work::get, false);
        computed.onComplete(result -> {
            if (result.succeeded()) {
                send(request, result.result());
            } else {
                LOG.warn("{} {} failed", request.method(), request.path(), result.cause());
                send(request, answer(500, "internal error\n"));
            }
        });
    }

    private Answer statusJson() {
        try {
            // /status is unauthenticated: the redactor is the last line of defence for anything secret in an error
            String json = Redactor.global().redact(JSON.writeValueAsString(source.status()));
            return new Answer(200, "application/json", (json + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status document is not plain JSON data", e);
        }
    }

    /**
     * A delivery: what can be decided from the headers alone is answered before any of the body is read (no
     * signature header: 401; a declared body over the limit: 413, unreadable length: 400; too many deliveries being
     * read: 503), and the connection closed. Otherwise the body is read up to the limit within the deadline.
     */
    private void webhook(HttpServerRequest request) {
        if (request.getHeader(WebhookSignature.HEADER) == null) {
            LOG.warn("webhook delivery from {} rejected: missing signature", request.remoteAddress());
            hangUp(request, 401, "invalid signature\n");
            return;
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                hangUp(request, 400, "bad content length\n");
                return;
            }
            if (length > maxBodyBytes) {
                tooLarge(request);
                return;
            }
        }
        if (deliveries >= WEBHOOK_CONCURRENCY) {
            LOG.warn("webhook delivery from {} rejected: {} deliveries already in progress", request.remoteAddress(),
                    WEBHOOK_CONCURRENCY);
            request.response().putHeader("Retry-After", "5");
            hangUp(request, 503, "busy\n");
            return;
        }
        deliveries++;
        Buffer body = Buffer.buffer();
        boolean[] done = new boolean[1];
        Runnable finish = () -> {
            if (!done[0]) {
                done[0] = true;
                deliveries--;
            }
        };
        long deadline = vertx.setTimer(WEBHOOK_READ_DEADLINE.toMillis(), id -> {
            if (!done[0]) {
                finish.run();
                LOG.warn("webhook delivery from {} dropped: body not received within {} s", request.remoteAddress(),
                        WEBHOOK_READ_DEADLINE.toSeconds());
                request.connection().close();
            }
        });
        request.exceptionHandler(e -> {
            vertx.cancelTimer(deadline);
            finish.run();
        });
        request.handler(chunk -> {
            if (done[0]) {
                return;
            }
            body.appendBuffer(chunk);
            if (body.length() > maxBodyBytes) {
                vertx.cancelTimer(deadline);
                finish.run();
                tooLarge(request);
            }
        });
        request.endHandler(v -> {
            vertx.cancelTimer(deadline);
            if (done[0]) {
                return;
            }
            finish.run();
            delivered(request, body.getBytes());
        });
    }

    private void delivered(HttpServerRequest request, byte[] body) {
        if (!WebhookSignature.valid(webhookSecret, body, request.getHeader(WebhookSignature.HEADER))) {
            LOG.warn("webhook delivery from {} rejected: missing or invalid signature", request.remoteAddress());
            respond(request, 401, "invalid signature\n");
            return;
        }
        if ("ping".equals(request.getHeader(EVENT_HEADER))) {
            respond(request, 200, "pong\n");
            return;
        }
        quick(request, () -> {
            onWebhook.run();
            return answer(202, "accepted\n");
        });
    }

    private void tooLarge(HttpServerRequest request) {
        LOG.warn("webhook delivery from {} rejected: body over {} bytes", request.remoteAddress(), maxBodyBytes);
        hangUp(request, 413, "payload too large\n");
    }

    /** Answers without reading (the rest of) the request body, then closes the connection. */
    private void hangUp(HttpServerRequest request, int code, String text) {
        HttpServerResponse response = request.response().putHeader("Connection", "close");
        if (response.ended()) {
            request.connection().close();
            return;
        }
        response.setStatusCode(code).putHeader("Content-Type", TEXT)
                .end(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)))
                .onComplete(done -> request.connection().close());
    }

    private static void respond(HttpServerRequest request, int code, String text) {
        send(request, answer(code, text));
    }

    private static void send(HttpServerRequest request, Answer answer) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return; // the client is gone, or the answer was given (hung up)
        }
        response.setStatusCode(answer.code()).putHeader("Content-Type", answer.contentType())
                .end(Buffer.buffer(answer.body()));
    }
}
