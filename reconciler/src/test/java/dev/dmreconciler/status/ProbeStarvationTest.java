package dev.dmreconciler.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The measured attack of issue 11: 8 clients send a webhook body at 1 byte/s; the liveness probe must keep
 * answering. Loopback only, bounded loops: each client sends at most 12 bytes, the probe runs 8 times.
 */
class ProbeStarvationTest {

    private static final byte[] SECRET = "starvation-secret".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unsigned", "forged signature"})
    void eightClientsSendingAWebhookBodyAtOneBytePerSecondDoNotStarveTheProbes(String kind) throws Exception {
        AtomicInteger triggered = new AtomicInteger();
        StatusSource source = new StatusSource() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public Map<String, Object> status() {
                return Map.of();
            }
        };
        try (StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), source,
                new Metrics(), SECRET, triggered::incrementAndGet, 1 << 20)) {
            server.start();
            int port = server.port();
            List<Thread> attackers = new ArrayList<>();
            List<Socket> sockets = new ArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                sockets.add(socket);
                Thread attacker = new Thread(() -> slowBody(socket, kind.equals("forged signature"), answered));
                attacker.setDaemon(true);
                attacker.start();
                attackers.add(attacker);
            }
            Thread.sleep(500);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            int failed = 0;
            long slowest = 0;
            for (int probe = 0; probe < 8; probe++) {
                long started = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failed++;
                    }
                } catch (IOException e) {
                    failed++;
                }
                slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
                Thread.sleep(1000);
            }
            System.out.println("[measure] 8 slow webhook clients (" + kind + "): /healthz failed " + failed
                    + " of 8 probes, slowest " + slowest + " ms; attackers answered early: " + answered.get());
            assertEquals(0, failed, "probes failed");
            assertEquals(0, triggered.get(), "nothing was triggered");
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread attacker : attackers) {
                attacker.join(5000);
            }
            if (kind.equals("unsigned")) {
                assertEquals(8, answered.get(), "every unsigned delivery is answered 401 before its body arrives");
            } else {
                assertTrue(answered.get() >= 8 - StatusServer.WEBHOOK_CONCURRENCY,
                        "beyond the webhook pool, deliveries are answered 503 at once: " + answered.get());
            }
        }
    }

    /**
     * Review S12-F3: 32 clients sending their request headers at one byte a second (the JDK server read headers on
     * its 8 pool threads: 16 such clients failed the liveness probe). Every probe must be answered within a second,
     * and a connection whose headers do not arrive within the deadline is closed.
     */
    @org.junit.jupiter.api.Test
    void thirtyTwoClientsSendingTheirHeadersAtOneBytePerSecondDoNotStarveTheProbes() throws Exception {
        StatusSource source = new StatusSource() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public Map<String, Object> status() {
                return Map.of();
            }
        };
        try (StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), source,
                new Metrics(), SECRET, () -> { }, 1 << 20)) {
            server.start();
            int port = server.port();
            List<Socket> sockets = new ArrayList<>();
            List<Thread> attackers = new ArrayList<>();
            AtomicInteger closedByServer = new AtomicInteger();
            for (int i = 0; i < 32; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                sockets.add(socket);
                Thread attacker = new Thread(() -> slowHeaders(socket, closedByServer));
                attacker.setDaemon(true);
                attacker.start();
                attackers.add(attacker);
            }
            Thread.sleep(500);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(1)).build();
            int failed = 0;
            long slowest = 0;
            for (int probe = 0; probe < 8; probe++) {
                long started = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                    failed += response.statusCode() == 200 ? 0 : 1;
                } catch (IOException e) {
                    failed++;
                }
                slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
                Thread.sleep(1000);
            }
            System.out.println("[measure] 32 slow-header clients: /healthz failed " + failed + " of 8 probes, slowest "
                    + slowest + " ms; closed by the server: " + closedByServer.get());
            assertEquals(0, failed, "probes failed");
            for (Thread attacker : attackers) {
                attacker.join(15_000);
            }
            assertEquals(32, closedByServer.get(), "every connection without complete headers is closed after "
                    + StatusServer.HEADER_DEADLINE.toSeconds() + " s");
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Sends a request line and then one header byte per second (at most 12 s), noting the server closing it. */
    private static void slowHeaders(Socket socket, AtomicInteger closedByServer) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 12; i++) {
                try {
                    if (in.read() < 0) {
                        closedByServer.incrementAndGet();
                    }
                    return; // closed (or answered: counted as not closed)
                } catch (java.net.SocketTimeoutException e) {
                    out.write('a');
                    out.flush();
                }
            }
        } catch (IOException e) {
            closedByServer.incrementAndGet(); // reset by the server
        }
    }

    /** Sends the headers, then one byte of a 100-byte body per second (at most 12), noting an early answer. */
    private static void slowBody(Socket socket, boolean signed, AtomicInteger answered) {
        try {
            OutputStream out = socket.getOutputStream();
            String headers = "POST /hooks/git HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-GitHub-Event: push\r\n"
                    + (signed ? "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\n" : "") + "\r\n";
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 12; i++) {
                try {
                    if (in.read() >= 0) {
                        answered.incrementAndGet();
                        return;
                    }
                    return; // closed by the server
                } catch (java.net.SocketTimeoutException e) {
                    out.write('x');
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the server hung up: fine
        }
    }
}
