package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
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
 * The example environment viz-example (Jupyter and viz operators side by side, the viz pull secret from an Ansible
 * Vault file next to it) applied with the CLI on a real API server; then the same apply without the password and with
 * a tampered vault must fail closed: no object written, none deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VizOperatorIT {

    private static final List<String> NAMESPACES = List.of("data-manager-api-viz-a", "data-manager-api-viz-b");
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
        NAMESPACES.forEach(ns -> RealApiServer.createDataManagerNamespace(client, ns));
        kubeconfig = server.writeKubeconfig(Files.createDirectories(dir.resolve("kube")));
        repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        for (String file : List.of("viz-example.yaml", "sensitive-viz-example.vault")) {
            repo.write("environments/" + file, Files.readString(TestRepo.projectRoot().resolve("environments/" + file)));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static CliResult apply(String... extra) {
        String[] args = Stream.concat(Stream.of("--env", "viz-example", "--kubeconfig", kubeconfig.toString()), Stream.of(extra))
                .toArray(String[]::new);
        return repo.cli("apply", args);
    }

    private static void assertNoSecretIn(String text) {
        String dockerconfig = new String(Base64.getDecoder().decode(Fixtures.PULL_SECRET), StandardCharsets.UTF_8);
        String base64 = Base64.getEncoder().encodeToString(Fixtures.PULL_SECRET.getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(Fixtures.PULL_SECRET, dockerconfig, base64, "Zml4dHVyZTpub3QtYS1yZWFsLXRva2Vu")) {
            assertFalse(text.contains(secret), "secret shown in:\n" + text);
        }
    }

    /** resourceVersion of every object the reconciler manages, plus the inventories: any write or delete changes it. */
    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        List<HasMetadata> objects = new java.util.ArrayList<>();
        objects.addAll(client.secrets().inAnyNamespace().list().getItems());
        objects.addAll(client.configMaps().inAnyNamespace().list().getItems());
        objects.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
        objects.addAll(client.rbac().roles().inAnyNamespace().list().getItems());
        objects.addAll(client.rbac().clusterRoles().list().getItems());
        objects.addAll(client.apiextensions().v1().customResourceDefinitions().list().getItems());
        objects.forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
        return versions;
    }

    @Test
    @Order(1)
    void appliesWithThePullSecretFromTheVault() {
        CliResult result = apply("--vault-password-file", Fixtures.path("ansible-vault/vault-password.txt").toString());
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertNoSecretIn(result.out() + result.err());
        for (String ns : NAMESPACES) {
            Secret pull = client.secrets().inNamespace(ns).withName("svo-pullsecret").get();
            assertNotNull(pull, ns);
            assertEquals("kubernetes.io/dockerconfigjson", pull.getType());
            assertEquals(Fixtures.PULL_SECRET, pull.getData().get(".dockerconfigjson"));
            assertNotNull(client.configMaps().inNamespace(ns).withName("datavisualisations.squonk.it").get());
            assertNotNull(client.configMaps().inNamespace(ns).withName("jupyternotebooks.squonk.it").get(), "next to Jupyter");
            assertNotNull(client.rbac().roles().inNamespace(ns).withName("data-manager-viz-operator").get());
        }
        var crd = client.apiextensions().v1().customResourceDefinitions().withName("datavisualisations.squonk.it").get();
        assertEquals("data-manager-api-viz-a:data-manager-api-viz-b",
                crd.getMetadata().getAnnotations().get("data-manager.informaticsmatters.com/application-namespaces"));
        var deployment = client.apps().deployments().inNamespace("data-manager-viz-operator").withName("viz-operator").get();
        assertTrue(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .anyMatch(e -> e.getName().equals("SVO_IMAGE_PULL_SECRET") && e.getValue().equals("svo-pullsecret")));
    }

    @Test
    @Order(2)
    void withoutThePasswordNothingIsWrittenOrPruned() {
        Map<String, String> before = versions();
        CliResult result = apply();
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("sensitive-viz-example.vault") && result.err().contains("--vault-password-file"), result.err());
        assertEquals(before, versions(), "no object written or deleted");
        assertNotNull(client.secrets().inNamespace(NAMESPACES.get(0)).withName("svo-pullsecret").get());
    }

    @Test
    @Order(3)
    void aTamperedVaultOrWrongPasswordFailsClosed(@TempDir Path tmp) throws IOException {
        Map<String, String> before = versions();
        Path wrong = Files.writeString(tmp.resolve("wrong.txt"), "not-the-password\n");
        CliResult wrongPassword = apply("--vault-password-file", wrong.toString());
        assertEquals(1, wrongPassword.exitCode());
        assertTrue(wrongPassword.err().contains("HMAC does not match"), wrongPassword.err());

        String vault = Files.readString(repo.root().resolve("environments/sensitive-viz-example.vault"));
        int at = vault.indexOf('\n') + 10;
        repo.write("environments/sensitive-viz-example.vault",
                vault.substring(0, at) + (vault.charAt(at) == '3' ? '6' : '3') + vault.substring(at + 1));
        CliResult tampered = apply("--vault-password-file", Fixtures.path("ansible-vault/vault-password.txt").toString());
        assertEquals(1, tampered.exitCode());
        assertTrue(tampered.err().contains("sensitive-viz-example.vault"), tampered.err());
        assertEquals(before, versions(), "no object written or deleted");
        assertNoSecretIn(wrongPassword.err() + tampered.err());
    }

    @Test
    @Order(4)
    void liveDiffAndApplyInEveryFormatShowNoSecret() throws IOException {
        String pw = Fixtures.path("ansible-vault/vault-password.txt").toString();
        String newConfig = "{\"auths\":{\"ghcr.io\":{\"auth\":\"cm90YXRlZDpyb3RhdGVkLXRva2VuLXZhbHVl\"}}}";
        String newSecret = Base64.getEncoder().encodeToString(newConfig.getBytes(StandardCharsets.UTF_8));
        repo.write("environments/sensitive-viz-example.vault", AnsibleVault.encrypt(
                ("svo_github_image_pull_secret: " + newSecret + "\n").getBytes(StandardCharsets.UTF_8), "fixture-vault-password".toCharArray()));
        // a Secret once applied with kubectl carries its whole body in an annotation
        Secret live = client.secrets().inNamespace(NAMESPACES.get(0)).withName("svo-pullsecret").get();
        client.secrets().inNamespace(NAMESPACES.get(0)).withName("svo-pullsecret").edit(s -> {
            s.getMetadata().getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration",
                    "{\"apiVersion\":\"v1\",\"data\":{\".dockerconfigjson\":\"" + live.getData().get(".dockerconfigjson") + "\"},\"kind\":\"Secret\"}");
            return s;
        });
        List<String> forbidden = List.of(newSecret, newConfig, Base64.getEncoder().encodeToString(newSecret.getBytes(StandardCharsets.UTF_8)),
                "cm90YXRlZDpyb3RhdGVkLXRva2VuLXZhbHVl");
        for (String format : List.of("text", "markdown", "json")) {
            CliResult diff = repo.cli("diff", "--env", "viz-example", "--kubeconfig", kubeconfig.toString(), "-o", format,
                    "--no-color", "--vault-password-file", pw);
            assertEquals(1, diff.exitCode(), diff.out() + diff.err());
            assertTrue(diff.out().contains("svo-pullsecret") && diff.out().contains("<redacted (changed)>"), diff.out());
            assertNoSecretIn(diff.out() + diff.err());
            forbidden.forEach(f -> assertFalse((diff.out() + diff.err()).contains(f), format + ":\n" + diff.out()));
        }
        for (String format : List.of("text", "json")) {
            CliResult applied = apply("--vault-password-file", pw, "-o", format);
            assertEquals(0, applied.exitCode(), applied.out() + applied.err());
            assertNoSecretIn(applied.out() + applied.err());
            forbidden.forEach(f -> assertFalse((applied.out() + applied.err()).contains(f), format + ":\n" + applied.out()));
        }
        assertEquals(newSecret, client.secrets().inNamespace(NAMESPACES.get(1)).withName("svo-pullsecret").get()
                .getData().get(".dockerconfigjson"));
    }
}
