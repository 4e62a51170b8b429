package dev.dmreconciler.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fault injection at the HTTP level: the API server throttles with 429 and Retry-After, and the client waits
 * as told and retries. A raw socket server, because the JDK's HttpServer rewrites header names and the real
 * API server sends the canonical "Retry-After".
 */
class KubeConnectorTest {

    @Test
    void tooManyRequestsIsRetriedAfterTheServersRetryAfter() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server, calls));
            serving.setDaemon(true);
            serving.start();
            Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.getLocalPort()).build();
            RequestCounter counter = new RequestCounter();
            try (KubernetesClient client = KubeConnector.connect(config, counter)) {
                long started = System.nanoTime();
                assertEquals("dm", client.namespaces().withName("dm").get().getMetadata().getName());
                long waitedMillis = (System.nanoTime() - started) / 1_000_000;
                assertEquals(2, calls.get(), "one throttled attempt, one retry");
                assertTrue(waitedMillis >= 1900, "waited for Retry-After (2 s), not the 250 ms backoff: " + waitedMillis);
                assertEquals(2, counter.reads(), "the counter sees the retry too");
            }
        }
    }

    private static void serve(ServerSocket server, AtomicInteger calls) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.isEmpty());
                boolean throttle = calls.incrementAndGet() == 1;
                String body = throttle
                        ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":429,\"reason\":\"TooManyRequests\"}"
                        : "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"dm\"}}";
                String head = (throttle ? "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\n" : "HTTP/1.1 200 OK\r\n")
                        + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
                OutputStream out = socket.getOutputStream();
                out.write((head + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                return; // closed at the end of the test
            }
        }
    }
}
