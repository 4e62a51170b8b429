package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flux's sops+age Secret (the real fixture, unchanged) listed in an environment's manifests: decrypted and applied on a
 * real API server; a tampered copy and a wrong age key each fail the environment before any write or delete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SopsManifestsIT {

    private static RealApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static TestRepo repo;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = RealApiServer.start();
        client = server.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).create();
        kubeconfig = server.writeKubeconfig(Files.createDirectories(dir.resolve("kube")));
        repo = TestRepo.withProjectBundles(dir.resolve("repo"))
                .write("secrets/age.sops.yaml", Fixtures.read("sops-age/secret.sops.yaml"))
                .write("manifests/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: apps\ndata:\n  a: b\n")
                .write("environments/flux.yaml", """
                        cluster: sops
                        manifests:
                          - {file: secrets/age.sops.yaml, namespace: apps}
                          - manifests/config.yaml
                        applications: {}
                        """);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static CliResult apply(String... extra) {
        return repo.cli("apply", Stream.concat(Stream.of("--env", "flux", "--kubeconfig", kubeconfig.toString()), Stream.of(extra))
                .toArray(String[]::new));
    }

    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        client.secrets().inNamespace("apps").list().getItems().forEach(s -> versions.put("Secret/" + s.getMetadata().getName(),
                s.getMetadata().getResourceVersion()));
        client.configMaps().inAnyNamespace().list().getItems().forEach(c -> versions.put("ConfigMap/" + c.getMetadata().getNamespace()
                + "/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        return versions;
    }

    @Test
    @Order(1)
    void theSopsSecretIsDecryptedAndApplied() {
        CliResult result = apply("--sops-age-key-file", Fixtures.path("sops-age/age.agekey").toString());
        assertEquals(0, result.exitCode(), result.out() + result.err());
        Secret secret = client.secrets().inNamespace("apps").withName("age").get();
        assertNotNull(secret);
        assertEquals("value", new String(Base64.getDecoder().decode(secret.getData().get("key")), StandardCharsets.UTF_8));
        assertFalse(secret.getMetadata().getAnnotations() != null
                && secret.getMetadata().getAnnotations().toString().contains("ENC["), "applied decrypted");
        assertNotNull(client.configMaps().inNamespace("apps").withName("plain").get(), "plain manifests too");
        assertNotNull(new dev.dmreconciler.inventory.InventoryStore(client, "dm-reconciler", "dm-reconciler")
                .loadAll("manifests").get("flux"), "inventoried");
    }

    @Test
    @Order(2)
    void aTamperedFileFailsClosed() {
        Map<String, String> before = versions();
        repo.write("secrets/age.sops.yaml", Fixtures.read("sops-age/secret.sops.yaml").replace("name: age", "name: age2"));
        CliResult result = apply("--sops-age-key-file", Fixtures.path("sops-age/age.agekey").toString());
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("secrets/age.sops.yaml") && result.err().contains("MAC mismatch"), result.err());
        assertEquals(before, versions(), "nothing written, nothing deleted (the old Secret is not pruned)");
        repo.write("secrets/age.sops.yaml", Fixtures.read("sops-age/secret.sops.yaml"));
    }

    @Test
    @Order(3)
    void aWrongOrMissingKeyFailsClosed() {
        Map<String, String> before = versions();
        CliResult wrong = apply("--sops-age-key-file", Fixtures.path("sops-age/other.agekey").toString());
        assertEquals(1, wrong.exitCode(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("none of the given age keys"), wrong.err());
        CliResult missing = apply();
        assertEquals(1, missing.exitCode(), missing.out() + missing.err());
        assertTrue(missing.err().contains("SOPS_AGE_KEY_FILE"), missing.err());
        assertEquals(before, versions(), "nothing written, nothing deleted");
        assertNotNull(client.secrets().inNamespace("apps").withName("age").get());
    }
}
