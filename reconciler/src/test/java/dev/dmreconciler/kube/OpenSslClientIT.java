package dev.dmreconciler.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS by BoringSSL ({@link OpenSslClientFactory}) keeps every check of fabric8's JDK TLS: the client certificate
 * of the kubeconfig authenticates, a server whose certificate another CA signed is refused, and so is one whose
 * certificate does not name the host connected to.
 */
class OpenSslClientIT {

    private static RealApiServer server;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static KubernetesClient connect(String kubeconfig) {
        return KubeConnector.connect(Config.fromKubeconfig(kubeconfig), new RequestCounter(), 0);
    }

    @Test
    void boringSslIsUsedHereAndTheKubeconfigsClientCertificateAuthenticates() {
        assertTrue(OpenSslClientFactory.available(), "BoringSSL loads on Linux x86-64 (the CI and the benchmark machine)");
        try (KubernetesClient client = connect(server.kubeconfigYaml())) {
            assertEquals("default", client.namespaces().withName("default").get().getMetadata().getName());
        }
    }

    @Test
    void aServerCertificateOfAnotherCaIsRefused() throws Exception {
        // a CA that signed nothing of this server (test fixture, its key was thrown away)
        java.nio.file.Path otherCa = java.nio.file.Files.createTempFile("other-ca", ".crt");
        otherCa.toFile().deleteOnExit();
        try (var in = OpenSslClientIT.class.getResourceAsStream("/tls/other-ca.crt")) {
            java.nio.file.Files.write(otherCa, in.readAllBytes());
        }
        // kube-api-test's kubeconfig names its CA file (certificate-authority: /path)
        String kubeconfig = server.kubeconfigYaml().replaceAll("certificate-authority: \\S+", "certificate-authority: " + otherCa);
        assertTrue(!kubeconfig.equals(server.kubeconfigYaml()), "the CA was replaced: " + kubeconfig);
        try (KubernetesClient client = connect(kubeconfig)) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> client.namespaces().withName("default").get());
            assertTrue(tlsRefusal(e), "refused in the TLS handshake: " + chain(e));
        }
    }

    @Test
    void aServerCertificateThatDoesNotNameTheHostIsRefused() {
        // the same server (it listens on every address) reached as "localhost", a name its certificate does not carry
        // (kube-api-test's certificate names 127.0.0.1 and kubernetes.default…)
        String kubeconfig = server.kubeconfigYaml().replaceAll("server: https://127\\.0\\.0\\.1:", "server: https://localhost:");
        assertTrue(!kubeconfig.equals(server.kubeconfigYaml()), "the test server's URL names 127.0.0.1: " + server.kubeconfigYaml());
        try (KubernetesClient client = connect(kubeconfig)) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> client.namespaces().withName("default").get());
            assertTrue(tlsRefusal(e), "refused in the TLS handshake (not a connection error): " + chain(e));
        }
    }

    private static String chain(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" / ");
        }
        return text.toString();
    }

    private static boolean tlsRefusal(Throwable e) {
        String chain = chain(e);
        return !chain.contains("Connection refused") && (chain.contains("SSL") || chain.contains("certificate")
                || chain.contains("Certificate"));
    }
}
