package dev.dmreconciler;

import dev.dmreconciler.kube.KubeConnector;
import dev.dmreconciler.kube.RequestCounter;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test with local binaries from scripts/kube-binaries.sh,
 * located by KUBE_API_TEST_DIR). Server-side apply, dry-run and managed fields are the real thing here;
 * the fabric8 CRUD mock implements none of them.
 */
public final class RealApiServer implements AutoCloseable {

    public static final String VERSION = "1.20.2";

    private final KubeAPIServer server;
    private final String kubeconfig;

    private RealApiServer(KubeAPIServer server) {
        this.server = server;
        this.kubeconfig = server.getKubeConfigYaml();
    }

    public static RealApiServer start() {
        String dir = System.getenv("KUBE_API_TEST_DIR");
        if (dir == null || !Files.isExecutable(Path.of(dir, "k8s", VERSION + "-linux-amd64", "kube-apiserver"))) {
            throw new IllegalStateException("no kube-apiserver " + VERSION + " under KUBE_API_TEST_DIR=" + dir
                    + "; run the tests with scripts/test, which builds the binaries (scripts/kube-binaries.sh)");
        }
        waitOutMidnight(LocalTime.now(), startupTimeout());
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir).withApiServerVersion(VERSION).withOfflineMode(true).build());
        server.start();
        return new RealApiServer(server);
    }

    /** kube-api-test's own startup timeout: KUBE_API_TEST_STARTUP_TIMEOUT milliseconds, else 60 s. */
    static Duration startupTimeout() {
        String value = System.getenv("KUBE_API_TEST_STARTUP_TIMEOUT");
        return Duration.ofMillis(value == null || value.isBlank() ? 60_000 : Long.parseLong(value.trim()));
    }

    /**
     * kube-api-test 7.6.1 checks its startup timeouts against {@link LocalTime}: {@code now.isAfter(start.plus(timeout))}.
     * When start + timeout passes midnight the deadline wraps to the early morning, every time of the evening is
     * "after" it, and a server that is not ready at the first poll fails at once with "Kube API Server did not start
     * properly" (seen in CI at 23:59). Such a start waits until just after midnight instead: at most the timeout,
     * once a day.
     */
    static Duration midnightWait(LocalTime now, Duration timeout) {
        Duration margin = timeout.plusSeconds(5);
        Duration toMidnight = Duration.between(now, LocalTime.MAX).plusNanos(1);
        return toMidnight.compareTo(margin) < 0 ? toMidnight.plusSeconds(1) : Duration.ZERO;
    }

    private static void waitOutMidnight(LocalTime now, Duration timeout) {
        Duration wait = midnightWait(now, timeout);
        if (wait.isZero()) {
            return;
        }
        System.err.println("[RealApiServer] waiting " + wait.toSeconds() + " s for midnight (kube-api-test's LocalTime timeout)");
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for midnight", e);
        }
    }

    public KubernetesClient client(RequestCounter counter) {
        return KubeConnector.connect(Config.fromKubeconfig(kubeconfig), counter);
    }

    public KubernetesClient client() {
        return client(new RequestCounter());
    }

    public String kubeconfigYaml() {
        return kubeconfig;
    }

    public Path writeKubeconfig(Path dir) {
        try {
            return Files.writeString(dir.resolve("kubeconfig.yaml"), kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the Data Manager itself provides in each of its namespaces: the namespace and its ServiceAccount. */
    public static void createDataManagerNamespace(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("data-manager").endMetadata().build()).create();
    }

    @Override
    public void close() {
        server.stop();
    }
}
