package dev.dmreconciler.apply;

import dev.dmreconciler.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The apply ITs' shared wiring: one real API server per test class, an {@link ApplyHarness} that applies as the CLI
 * does and counts its requests, and that harness's client. A subclass's own {@code @BeforeAll} runs after this one
 * (JUnit runs a superclass's first), so it can create its namespaces with {@link #client}. The fields are static and
 * shared by every subclass: failsafe runs the IT classes one after another, each with its own server.
 */
abstract class OnRealApiServer {

    static RealApiServer server;
    static ApplyHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void startRealApiServer() {
        server = RealApiServer.start();
        harness = new ApplyHarness(server);
        client = harness.client();
    }

    @AfterAll
    static void stopRealApiServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
