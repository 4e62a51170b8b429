package dev.dmreconciler.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Which API errors are retried: the whole decision table offline, and fault injection at the HTTP level (a raw
 * socket server answering with canned statuses; the fabric8 mock server is not in the offline Maven mirror)
 * counting the requests that reach the server.
 */
class RetriesTest {

    private static final String TYPED_PATCH = "failed to create typed patch object (/v1, Kind=Service) default/s: "
            + ".spec.ports: element 0: associative list with keys has an element that omits key field \"protocol\" "
            + "(and doesn't have default value)";

    @Test
    void decisionTable() {
        assertTrue(Retries.isTransient(0, "connection refused"));
        assertTrue(Retries.isTransient(408, "timeout"));
        assertTrue(Retries.isTransient(429, "too many requests"));
        assertTrue(Retries.isTransient(500, "etcdserver: request timed out"));
        assertTrue(Retries.isTransient(500, "Internal error occurred: failed calling webhook \"x\""));
        assertTrue(Retries.isTransient(502, "bad gateway"));
        assertTrue(Retries.isTransient(503, "service unavailable"));
        assertTrue(Retries.isTransient(504, "gateway timeout"));
        assertFalse(Retries.isTransient(500, TYPED_PATCH));
        assertFalse(Retries.isTransient(500, "failed to create typed live object: .spec.x: field not declared in schema"));
        assertFalse(Retries.isTransient(500, ".spec.containers: duplicate entries for key [name=\"a\"]"));
        assertFalse(Retries.isTransient(501, "not implemented"));
        assertFalse(Retries.isTransient(505, "version"));
        for (int code : new int[] {400, 401, 403, 404, 405, 409, 410, 413, 415, 422}) {
            assertFalse(Retries.isTransient(code, "x"), "code " + code);
        }
    }

    @Test
    void typedPatch500IsSentOnce() throws Exception {
        List<String> requests = serveAndApply(List.of(response(500, TYPED_PATCH)), 6);
        assertEquals(1, requests.size(), requests.toString());
        assertTrue(requests.get(0).startsWith("PATCH "), requests.toString());
    }

    @Test
    void unprocessableIsSentOnce() throws Exception {
        assertEquals(1, serveAndApply(List.of(response(422, "Job.batch \"j\" is invalid: spec.template: field is immutable")), 6).size());
    }

    @Test
    void transient500And503AreRetriedUntilTheySucceed() throws Exception {
        List<String> requests = serveAndApply(List.of(response(503, "unavailable"),
                response(500, "etcdserver: request timed out"), ok()), 6);
        assertEquals(3, requests.size(), requests.toString());
    }

    @Test
    void transientErrorsStopAfterTheConfiguredRetries() throws Exception {
        assertEquals(3, serveAndApply(List.of(response(503, "a"), response(503, "b"), response(503, "c"),
                response(503, "d")), 2).size());
    }

    @Test
    void readsThroughTheOriginalClientKeepFabric8sRetries() throws Exception {
        try (FaultServer server = new FaultServer(List.of(response(503, "unavailable"), ok()))) {
            try (KubernetesClient client = KubeConnector.connect(server.config(), new RequestCounter(), 3)) {
                Retries.of(client); // deriving the write client leaves the original alone
                client.configMaps().inNamespace("a").withName("c").get();
            }
            assertEquals(2, server.requests().size());
        }
    }

    private static List<String> serveAndApply(List<String> responses, int retries) throws Exception {
        try (FaultServer server = new FaultServer(responses)) {
            RequestCounter counter = new RequestCounter();
            try (KubernetesClient client = KubeConnector.connect(server.config(), counter, retries)) {
                Retries writes = Retries.of(client);
                ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("a").endMetadata().build();
                try {
                    writes.call(() -> writes.client().configMaps().inNamespace("a").resource(map)
                            .fieldManager("t").serverSideApply());
                } catch (KubernetesClientException e) {
                    assertFalse(responses.get(responses.size() - 1).contains("200 OK"), "failed: " + e.getMessage());
                }
                assertEquals(server.requests().size(), counter.writes(), "the counter sees every attempt");
            }
            return server.requests();
        }
    }

    private static String response(int code, String message) {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + "\"" + message.replace("\"", "\\\"") + "\",\"code\":" + code + "}";
        return "HTTP/1.1 " + code + " Status\r\n" + headers(body) + body;
    }

    private static String ok() {
        String body = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\",\"namespace\":\"a\"}}";
        return "HTTP/1.1 200 OK\r\n" + headers(body) + body;
    }

    private static String headers(String body) {
        return "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
    }

    /** Answers each request with the next canned response (the last one repeats) and records request lines. */
    static final class FaultServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Deque<String> responses;
        private final List<String> requests = new ArrayList<>();

        FaultServer(List<String> responses) throws IOException {
            this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            this.responses = new ArrayDeque<>(responses);
            Thread serving = new Thread(this::serve);
            serving.setDaemon(true);
            serving.start();
        }

        Config config() {
            return new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + socket.getLocalPort()).build();
        }

        synchronized List<String> requests() {
            return List.copyOf(requests);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    InputStream in = connection.getInputStream();
                    String head = readHead(in);
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    in.readNBytes(length);
                    String response;
                    synchronized (this) {
                        requests.add(head.substring(0, head.indexOf("\r\n")));
                        response = responses.size() > 1 ? responses.poll() : responses.peek();
                    }
                    OutputStream out = connection.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
