package dev.dmreconciler.status;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real HTTP on 127.0.0.1, an ephemeral port per test. */
class StatusServerTest {

    private static final byte[] SECRET = "webhook-secret-for-tests".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PUSH = "{\"ref\":\"refs/heads/main\",\"after\":\"0123abcd\"}".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_BODY = 1024;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final FakeSource source = new FakeSource();
    private final Metrics metrics = new Metrics();
    private final AtomicInteger webhooks = new AtomicInteger();
    private final List<StatusServer> servers = new ArrayList<>();
    private StatusServer server;

    @BeforeEach
    void start() throws IOException {
        server = started(SECRET);
    }

    @AfterEach
    void stop() {
        servers.forEach(StatusServer::close);
    }

    @Test
    void healthzAnswersWhileTheProcessServes() throws Exception {
        HttpResponse<String> response = get("/healthz");

        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
    }

    @Test
    void readyzFlipsFrom503To200WhenTheSourceBecomesReady() throws Exception {
        HttpResponse<String> before = get("/readyz");
        assertEquals(503, before.statusCode());
        assertEquals("not ready\n", before.body());

        source.ready = true;
        HttpResponse<String> after = get("/readyz");
        assertEquals(200, after.statusCode());
        assertEquals("ready\n", after.body());
    }

    /** JSON escapes line breaks and quotes before the redactor sees the text (review S11-F1, addendum 2). */
    @Test
    void statusNeverShowsAMultiLineOrQuotedSecretValue() throws Exception {
        String multi = "status-line-one-" + System.nanoTime() + "\nstatus-line-two-" + System.nanoTime();
        String quoted = "status-pa\"ss\\word-" + System.nanoTime();
        dev.dmreconciler.secrets.Redactor.global().add(multi);
        dev.dmreconciler.secrets.Redactor.global().add(quoted);
        source.status = () -> Map.of("environments", Map.of("viz", Map.of("error",
                "does not render: " + multi + " / " + quoted)));

        String body = get("/status").body();

        assertFalse(body.contains("status-line-") || body.contains("status-pa"), body);
        assertTrue(body.contains("does not render: <redacted> / <redacted>"), body);
    }

    @Test
    void statusNeverShowsASecretValueOrItsBase64() throws Exception {
        String secret = "status-secret-value-" + System.nanoTime();
        dev.dmreconciler.secrets.Redactor.global().add(secret);
        String base64 = java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        source.status = () -> Map.of("environments", Map.of("dev", Map.of("error",
                "environments/dev.yaml:3: jo_state: '" + secret + "' is not one of [present, absent]; data " + base64)));

        HttpResponse<String> response = get("/status");

        assertEquals(200, response.statusCode());
        assertFalse(response.body().contains(secret) || response.body().contains(base64), response.body());
        assertTrue(response.body().contains("jo_state: '<redacted>' is not one of"), response.body());
    }

    @Test
    void statusIsTheSourcesDocumentAsPrettyPrintedJson() throws Exception {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("revision", "0123abcd");
        document.put("leader", true);
        document.put("environments", List.of(Map.of("name", "dev", "objects", 42, "lastError", "none")));
        document.put("lastFetch", null);
        source.status = () -> document;

        HttpResponse<String> response = get("/status");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("\n  \"revision\" : \"0123abcd\""), response.body());
        assertEquals(document, new ObjectMapper().readValue(response.body(), Map.class));
    }

    @Test
    void metricsServesThePrometheusTextOfTheMetrics() throws Exception {
        metrics.reconcileFinished("dev", Duration.ofSeconds(2), Map.of("configured", 1L), null);
        metrics.gitFetchFinished(Duration.ofMillis(120), true);

        HttpResponse<String> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        String body = response.body();
        assertTrue(body.contains("dmr_reconcile_duration_seconds_bucket{environment=\"dev\","), body);
        assertEquals(1.0, MetricsTest.value(body, "dmr_objects_total{environment=\"dev\",outcome=\"configured\"}"));
        assertTrue(body.contains("dmr_last_success_timestamp_seconds{environment=\"dev\"}"), body);
        assertTrue(body.contains("dmr_git_fetch_duration_seconds_bucket{outcome=\"success\","), body);
    }

    @Test
    void aValidDeliveryIsAcceptedAndTriggersExactlyOnce() throws Exception {
        HttpResponse<String> response = post("/hooks/git", PUSH, WebhookSignature.sign(SECRET, PUSH), "push");

        assertEquals(202, response.statusCode());
        assertEquals("accepted\n", response.body());
        assertEquals(1, webhooks.get());
    }

    static Stream<Arguments> badSignatures() {
        String valid = WebhookSignature.sign(SECRET, PUSH);
        return Stream.of(
                Arguments.of("missing header", null),
                Arguments.of("signature of another body", WebhookSignature.sign(SECRET, "{}".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("another secret", WebhookSignature.sign("guessed".getBytes(StandardCharsets.UTF_8), PUSH)),
                Arguments.of("sha1", "sha1=" + valid.substring("sha256=".length(), "sha256=".length() + 40)),
                Arguments.of("not hex", "sha256=zz"),
                Arguments.of("truncated", valid.substring(0, valid.length() - 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSignatures")
    void aMissingOrInvalidSignatureIs401AndNeverTriggers(String why, String signature) throws Exception {
        HttpResponse<String> response = post("/hooks/git", PUSH, signature, "push");

        assertEquals(401, response.statusCode(), why);
        assertEquals("invalid signature\n", response.body(), "nothing of the request is echoed");
        assertEquals(0, webhooks.get());
    }

    @Test
    void aBodyOverTheLimitIs413AndNeverTriggers() throws Exception {
        byte[] large = new byte[MAX_BODY + 1];

        HttpResponse<String> response = post("/hooks/git", large, WebhookSignature.sign(SECRET, large), "push");

        assertEquals(413, response.statusCode());
        assertEquals(0, webhooks.get());
    }

    @Test
    void aChunkedBodyOverTheLimitIsCountedWhileReadingAnd413() throws Exception {
        byte[] large = new byte[4 * MAX_BODY];
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large));

        HttpResponse<String> response = send(request("/hooks/git", WebhookSignature.sign(SECRET, large), "push")
                .POST(chunked).build());

        assertEquals(413, response.statusCode());
        assertEquals(0, webhooks.get());
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] body = new byte[MAX_BODY];

        HttpResponse<String> response = post("/hooks/git", body, WebhookSignature.sign(SECRET, body), "push");

        assertEquals(202, response.statusCode());
        assertEquals(1, webhooks.get());
    }

    @Test
    void aSignedPingAnswersPongWithoutTriggering() throws Exception {
        byte[] ping = "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post("/hooks/git", ping, WebhookSignature.sign(SECRET, ping), "ping");

        assertEquals(200, response.statusCode());
        assertEquals("pong\n", response.body());
        assertEquals(0, webhooks.get());
    }

    @Test
    void anUnsignedPingIs401() throws Exception {
        byte[] ping = "{}".getBytes(StandardCharsets.UTF_8);

        assertEquals(401, post("/hooks/git", ping, null, "ping").statusCode());
    }

    @Test
    void withoutASecretTheWebhookDoesNotExist() throws Exception {
        StatusServer disabled = started(null);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = send(request(disabled, "/hooks/git", WebhookSignature.sign(SECRET, body), "push")
                .POST(BodyPublishers.ofByteArray(body)).build());

        assertEquals(404, response.statusCode());
        assertEquals(404, send(request(disabled, "/hooks/git", null, null).GET().build()).statusCode());
        assertEquals(200, send(request(disabled, "/healthz", null, null).GET().build()).statusCode());
        assertEquals(0, webhooks.get());
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> getHook = get("/hooks/git");
        assertEquals(405, getHook.statusCode());
        assertEquals("POST", getHook.headers().firstValue("Allow").orElseThrow());

        HttpResponse<String> postHealth = post("/healthz", new byte[0], null, null);
        assertEquals(405, postHealth.statusCode());
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElseThrow());
        assertEquals(0, webhooks.get());
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        assertEquals(404, get("/nope").statusCode());
        assertEquals(404, get("/healthz/extra").statusCode());
        assertEquals(404, get("/").statusCode());
    }

    @Test
    void aThrowingSourceIs500AndTheServerKeepsServing() throws Exception {
        source.status = () -> {
            throw new IllegalStateException("controller state unavailable");
        };
        source.readyFailure = new IllegalStateException("broken");

        HttpResponse<String> status = get("/status");
        assertEquals(500, status.statusCode());
        assertEquals("internal error\n", status.body());
        assertEquals(500, get("/readyz").statusCode());

        assertEquals(200, get("/healthz").statusCode());
        source.status = () -> Map.of("ok", true);
        source.readyFailure = null;
        assertEquals(200, get("/status").statusCode());
        assertEquals(503, get("/readyz").statusCode());
    }

    @Test
    void aStatusThatIsNotJsonDataIs500() throws Exception {
        source.status = () -> Map.of("thread", new Object());

        assertEquals(500, get("/status").statusCode());
        assertEquals(200, get("/healthz").statusCode());
    }

    @Test
    void aFailingWebhookCallbackIs500() throws Exception {
        StatusServer failing = started(SECRET, () -> {
            throw new IllegalStateException("queue closed");
        });

        HttpResponse<String> response = send(request(failing, "/hooks/git", WebhookSignature.sign(SECRET, PUSH), "push")
                .POST(BodyPublishers.ofByteArray(PUSH)).build());

        assertEquals(500, response.statusCode());
    }

    @Test
    void slowClientsDoNotBlockTheOthers() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                OutputStream out = socket.getOutputStream();
                out.write("POST /hooks/git HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ref\"".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(socket);
            }
            Thread.sleep(200);

            HttpResponse<String> response = send(request("/healthz", null, null).GET().timeout(Duration.ofSeconds(3)).build());

            assertEquals(200, response.statusCode());
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void closeStopsWithinASecondEvenWithAStalledClient() throws Exception {
        int port = server.port();
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), port)) {
            stalled.getOutputStream().write("POST /hooks/git HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            Thread.sleep(200);

            long started = System.nanoTime();
            server.close();
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(millis < 1500, "close took " + millis + " ms");
        }
        assertThrows(ConnectException.class,
                () -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        BodyHandlers.ofString()));
        server.close();
    }

    @Test
    void badConfigurationIsRejectedUpFront() {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Runnable noop = () -> { };

        assertThrows(IllegalArgumentException.class, () -> new StatusServer(address, source, metrics, new byte[0], noop, MAX_BODY));
        assertThrows(NullPointerException.class, () -> new StatusServer(address, source, metrics, SECRET, null, MAX_BODY));
        assertThrows(IllegalArgumentException.class, () -> new StatusServer(address, source, metrics, SECRET, noop, 0));
        assertThrows(IllegalStateException.class, () -> server.start());
        assertDoesNotThrow(() -> new StatusServer(address, source, metrics, null, null, MAX_BODY).close(),
                "no secret, no callback: the webhook is off");
    }

    private StatusServer started(byte[] secret) throws IOException {
        return started(secret, webhooks::incrementAndGet);
    }

    private StatusServer started(byte[] secret, Runnable onWebhook) throws IOException {
        StatusServer created = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                source, metrics, secret, onWebhook, MAX_BODY);
        servers.add(created);
        created.start();
        return created;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path, null, null).GET().build());
    }

    private HttpResponse<String> post(String path, byte[] body, String signature, String event) throws Exception {
        return send(request(path, signature, event).POST(BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String path, String signature, String event) {
        return request(server, path, signature, event);
    }

    private static HttpRequest.Builder request(StatusServer target, String path, String signature, String event) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (signature != null) {
            builder.header(WebhookSignature.HEADER, signature);
        }
        if (event != null) {
            builder.header(StatusServer.EVENT_HEADER, event);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, BodyHandlers.ofString());
    }

    private static final class FakeSource implements StatusSource {
        volatile boolean ready;
        volatile RuntimeException readyFailure;
        volatile Supplier<Map<String, Object>> status = Map::of;

        @Override
        public boolean ready() {
            RuntimeException failure = readyFailure;
            if (failure != null) {
                throw failure;
            }
            return ready;
        }

        @Override
        public Map<String, Object> status() {
            return status.get();
        }
    }
}
