package dev.dmreconciler.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The selector threads a client leaves behind: alive while it is open, gone (waited for) once it is closed. */
class ClientThreadsTest {

    @Test
    void aClosedClientsSelectorThreadsAreWaitedForAndAnOpenOnesOnlyCostTheLimit() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"dm\"}}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).build();
            List<Thread> before = ClientThreads.selectorThreads();
            KubernetesClient client = KubeConnector.connect(config, new RequestCounter(), 0);
            List<Thread> mine;
            try {
                assertEquals("dm", client.namespaces().withName("dm").get().getMetadata().getName());
                mine = new ArrayList<>(ClientThreads.selectorThreads());
                mine.removeAll(before);
                assertFalse(mine.isEmpty(), "the request ran on a Vert.x event loop of this client");
                assertFalse(ClientThreads.awaitEnd(mine, Duration.ofMillis(100)), "an open client's threads stay");
            } finally {
                client.close();
            }
            assertTrue(ClientThreads.awaitEnd(mine, Duration.ofSeconds(10)), "closed: its event loops end");
            mine.forEach(thread -> assertFalse(thread.isAlive(), thread.getName()));
            assertTrue(ClientThreads.selectorThreads().stream().noneMatch(mine::contains));
        } finally {
            server.stop(0);
        }
    }
}
