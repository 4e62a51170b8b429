package dev.dmreconciler.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dmreconciler.secrets.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Probes can never be starved by other requests: the server's own pool ({@link #THREADS}) only parses request
 * headers and answers the quick routes (probes, /status, /metrics). A webhook delivery is checked before any of
 * its body is read (signature header present, declared length within the limit) and then handed to a separate,
 * small pool of {@link #WEBHOOK_CONCURRENCY} threads with no queue: a delivery beyond that is answered 503 at once,
 * and a body must arrive within {@link #WEBHOOK_READ_DEADLINE} or the connection is dropped. So slow or
 * unauthenticated clients can hold at most those threads, never the probes'. The JDK server reads request
 * headers without a time limit unless the JVM runs with {@code -Dsun.net.httpserver.maxReqTime=SECONDS}; that
 * is a process-wide setting, so it is left to the launcher (the run command sets 30 s).
 * Neither the secret nor a request body is ever logged or echoed.
 */
public final class StatusServer implements AutoCloseable {

    static final int THREADS = 8;
    /** A server thread idle this long ends (see {@link ElasticPool}); probes every few seconds keep one or two. */
    static final java.time.Duration IDLE_THREAD_LIFE = java.time.Duration.ofSeconds(30);
    /** Webhook deliveries handled at once; more are answered 503 without reading them. */
    static final int WEBHOOK_CONCURRENCY = 2;
    /** A webhook body must have arrived within this time. */
    static final java.time.Duration WEBHOOK_READ_DEADLINE = java.time.Duration.ofSeconds(10);
    static final String EVENT_HEADER = "X-GitHub-Event";

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);

    static {
        // An answer sent before the request body was read (401, 413, 503) closes the connection instead of
        // draining up to 64 KiB of the unread body at the client's pace. Read once, when the JDK server's
        // configuration class loads; the launcher may set it otherwise.
        System.getProperties().putIfAbsent("sun.net.httpserver.drainAmount", "0");
    }
    private static final ObjectWriter JSON = new ObjectMapper().writerWithDefaultPrettyPrinter();
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final InetSocketAddress address;
    private final StatusSource source;
    private final Metrics metrics;
    private final byte[] webhookSecret;
    private final Runnable onWebhook;
    private final int maxBodyBytes;
    private final Map<String, Route> routes;

    private HttpServer server;
    private ExecutorService executor;
    private java.util.concurrent.ThreadPoolExecutor webhookPool;
    private java.util.concurrent.ScheduledExecutorService deadlines;
    /** Closes exchanges answered early: closing may still drain the unread body, never on a server thread. */
    private ExecutorService reaper;

    /**
     * @param address where to listen; port 0 picks a free one, see {@link #port()}
     * @param webhookSecret null disables the webhook ({@code POST /hooks/git} answers 404); never empty, since
     *     an empty key would let anyone sign
     * @param onWebhook called on a server thread after a valid delivery, before the 202 goes out; must be quick
     *     (signal the reconcile loop, do not reconcile); may be null when the webhook is disabled
     * @param maxBodyBytes the largest webhook body accepted (413 above it); at most this plus one byte is
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
        this.routes = webhookSecret == null
                ? Map.of("/healthz", new Route("GET", this::healthz), "/readyz", new Route("GET", this::readyz),
                        "/status", new Route("GET", this::status), "/metrics", new Route("GET", this::metrics))
                : Map.of("/healthz", new Route("GET", this::healthz), "/readyz", new Route("GET", this::readyz),
                        "/status", new Route("GET", this::status), "/metrics", new Route("GET", this::metrics),
                        "/hooks/git", new Route("POST", this::webhook));
    }

    public synchronized void start() throws IOException {
        if (server != null || executor != null) {
            throw new IllegalStateException("a status server starts only once");
        }
        HttpServer created = HttpServer.create(address, 0);
        ExecutorService pool = ElasticPool.queued(THREADS, IDLE_THREAD_LIFE, daemonThreads("status-http-"));
        created.setExecutor(pool);
        created.createContext("/", this::dispatch);
        webhookPool = ElasticPool.unqueued(WEBHOOK_CONCURRENCY, IDLE_THREAD_LIFE, daemonThreads("status-webhook-"));
        deadlines = Executors.newSingleThreadScheduledExecutor(daemonThreads("status-deadline-"));
        reaper = ElasticPool.queued(2, IDLE_THREAD_LIFE, daemonThreads("status-reaper-"));
        created.start();
        server = created;
        executor = pool;
    }

    /** The bound port, which differs from the configured one when that was 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("status server not running");
        }
        return server.getAddress().getPort();
    }

    /** Stops at once: open connections are closed, in-flight answers are cut off, and the threads end. */
    @Override
    public void close() {
        HttpServer stopping;
        ExecutorService pool;
        synchronized (this) {
            stopping = server;
            pool = executor;
            server = null;
        }
        if (stopping != null) {
            stopping.stop(0);
        }
        synchronized (this) {
            if (webhookPool != null) {
                webhookPool.shutdownNow();
                deadlines.shutdownNow();
                reaper.shutdownNow();
            }
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void dispatch(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        Route route = routes.get(path);
        if (route != null && route.method().equals(exchange.getRequestMethod()) && path.equals("/hooks/git")) {
            if (!acceptDelivery(exchange)) {
                return;
            }
            try {
                webhookPool.execute(() -> handle(exchange, path, route));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("webhook delivery from {} rejected: {} deliveries already in progress", exchange.getRemoteAddress(),
                        WEBHOOK_CONCURRENCY);
                exchange.getResponseHeaders().set("Retry-After", "5");
                hangUp(exchange, 503, "busy\n");
            }
            return;
        }
        handle(exchange, path, route);
    }

    /**
     * What can be decided from the headers alone, before any of the body is read: a delivery without a signature
     * header (401) or declaring a body over the limit (413, 400 if unreadable) is answered at once and the
     * connection closed without reading the body.
     */
    private boolean acceptDelivery(HttpExchange exchange) {
        if (exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER) == null) {
            LOG.warn("webhook delivery from {} rejected: missing signature", exchange.getRemoteAddress());
            hangUp(exchange, 401, "invalid signature\n");
            return false;
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                hangUp(exchange, 400, "bad content length\n");
                return false;
            }
            if (length > maxBodyBytes) {
                LOG.warn("webhook delivery from {} rejected: body over {} bytes", exchange.getRemoteAddress(), maxBodyBytes);
                hangUp(exchange, 413, "payload too large\n");
                return false;
            }
        }
        return true;
    }

    /**
     * Answers without reading the request body and closes the connection. The exchange is closed on the reaper
     * threads: closing it may drain the unread body at the client's pace (see the static initializer).
     */
    private void hangUp(HttpExchange exchange, int code, String text) {
        try {
            exchange.getResponseHeaders().set("Connection", "close");
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TEXT);
            exchange.sendResponseHeaders(code, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.debug("answer not delivered: {}", e.toString());
        }
        try {
            reaper.execute(exchange::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            exchange.close(); // shutting down
        }
    }

    private void handle(HttpExchange exchange, String path, Route route) {
        try {
            if (route == null) {
                respond(exchange, 404, "not found\n");
            } else if (!route.method().equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", route.method());
                respond(exchange, 405, "method not allowed\n");
            } else {
                route.handler().handle(exchange);
            }
        } catch (IOException e) {
            LOG.debug("{} {}: connection failed: {}", exchange.getRequestMethod(), path, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", exchange.getRequestMethod(), path, e);
            if (exchange.getResponseCode() == -1) {
                try {
                    respond(exchange, 500, "internal error\n");
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone; nothing left to tell it
                }
            }
        } finally {
            exchange.close();
        }
    }

    private void healthz(HttpExchange exchange) throws IOException {
        if (source.live()) {
            respond(exchange, 200, "ok\n");
        } else {
            respond(exchange, 503, "not live\n");
        }
    }

    private void readyz(HttpExchange exchange) throws IOException {
        if (source.ready()) {
            respond(exchange, 200, "ready\n");
        } else {
            respond(exchange, 503, "not ready\n");
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        byte[] json;
        try {
            // /status is unauthenticated: the redactor is the last line of defence for anything secret in an error
            json = Redactor.global().redact(JSON.writeValueAsString(source.status())).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status document is not plain JSON data", e);
        }
        respond(exchange, 200, "application/json", concat(json, (byte) '\n'));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    /** A delivery {@link #acceptDelivery} let through (signature header present, declared length within the limit). */
    private void webhook(HttpExchange exchange) throws IOException {
        byte[] body;
        java.util.concurrent.ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            LOG.warn("webhook delivery from {} dropped: body not received within {} s", exchange.getRemoteAddress(),
                    WEBHOOK_READ_DEADLINE.toSeconds());
            exchange.close();
        }, WEBHOOK_READ_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(maxBodyBytes + 1);
        } finally {
            deadline.cancel(false);
        }
        if (body.length > maxBodyBytes) {
            tooLarge(exchange);
            return;
        }
        if (!WebhookSignature.valid(webhookSecret, body, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER))) {
            LOG.warn("webhook delivery from {} rejected: missing or invalid signature", exchange.getRemoteAddress());
            respond(exchange, 401, "invalid signature\n");
            return;
        }
        if ("ping".equals(exchange.getRequestHeaders().getFirst(EVENT_HEADER))) {
            respond(exchange, 200, "pong\n");
            return;
        }
        onWebhook.run();
        respond(exchange, 202, "accepted\n");
    }

    private void tooLarge(HttpExchange exchange) throws IOException {
        LOG.warn("webhook delivery from {} rejected: body over {} bytes", exchange.getRemoteAddress(), maxBodyBytes);
        exchange.getResponseHeaders().set("Connection", "close");
        respond(exchange, 413, "payload too large\n");
    }

    private static void respond(HttpExchange exchange, int code, String text) throws IOException {
        respond(exchange, code, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] concat(byte[] bytes, byte last) {
        byte[] joined = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, joined, 0, bytes.length);
        joined[bytes.length] = last;
        return joined;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private record Route(String method, Handler handler) {
    }
}
