package dev.dmreconciler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The live diff against a real API server: exactly what apply would do, and nothing written. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveDiffIT {

    private static RealApiServer server;
    private static KubernetesClient client;
    private static TestRepo repo;
    private static Path kubeconfig;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client();
        kubeconfig = server.writeKubeconfig(dir);
        RealApiServer.createDataManagerNamespace(client, "dm-live");
        repo = TestRepo.withProjectBundles(dir.resolve("repo"))
                .write("templates/vault/bundle.yaml", """
                        name: vault
                        prefix: va_
                        namespaceVariable: va_namespace
                        stateVariable: va_state
                        templates:
                          - {file: templates/vault/secret.yaml.ftl, scope: namespace}
                        variables:
                          va_state: {default: present}
                          va_namespace: {default: dm-live}
                          va_token: {required: true, default: SetMe}
                        """)
                .write("templates/vault/secret.yaml.ftl", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: pull-secret}
                        stringData:
                          token: ${va_token?c}
                          other: unchanged-value
                        """);
        writeEnvironment("'1.00'", "first-secret-value");
        assertEquals(0, cli("apply").exitCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void writeEnvironment(String cost, String token) {
        repo.write("environments/env.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 5.0.0}
                    namespaces:
                      dm-live: {jo_cost_cost: %s}
                  vault:
                    values: {va_token: %s}
                    namespaces: [dm-live]
                """.formatted(cost, token));
    }

    static CliResult cli(String command, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "--env";
        args[1] = "env";
        args[2] = "--kubeconfig";
        args[3] = kubeconfig.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return repo.cli(command, args);
    }

    @Test
    @Order(1)
    void nothingChangedMeansExitZeroAndNoNoiseFromServerDefaults() {
        CliResult result = cli("diff", "--no-color");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("no changes (10 objects unchanged)"), result.out());
        assertTrue(result.out().contains("Op: 0 create, 0 delete, 0 update, 10 noop"), result.out());
    }

    @Test
    @Order(2)
    void aChangedValueShowsOnlyThatValueAndWritesNothing() {
        writeEnvironment("'7.50'", "first-secret-value");
        CliResult result = cli("diff", "--no-color");
        assertEquals(1, result.exitCode(), result.out() + result.err());
        String out = result.out();
        assertTrue(out.contains("~ update ConfigMap dm-live/jupyternotebooks.squonk.it"), out);
        assertEquals(1, out.lines().filter(l -> l.strip().startsWith("-    cost = 1.00")).count(), out);
        assertEquals(1, out.lines().filter(l -> l.strip().startsWith("+    cost = 7.50")).count(), out);
        long changedLines = out.lines().map(String::strip)
                .filter(l -> (l.startsWith("+") || l.startsWith("-")) && !l.startsWith("+++") && !l.startsWith("---")).count();
        assertEquals(2, changedLines, "no defaults, managedFields or timestamps as noise:\n" + out);
        assertTrue(client.configMaps().inNamespace("dm-live").withName("jupyternotebooks.squonk.it").get()
                .getData().get("dm-app.config").contains("cost = 1.00"), "the diff wrote nothing");
        writeEnvironment("'1.00'", "first-secret-value");
    }

    @Test
    @Order(3)
    void secretValuesAreRedactedButAChangedKeyIsShown() {
        writeEnvironment("'1.00'", "second-secret-value");
        for (String format : new String[] {"text", "markdown", "json"}) {
            CliResult result = cli("diff", "-o", format);
            assertEquals(1, result.exitCode(), result.err());
            String out = result.out();
            for (String secret : new String[] {"first-secret-value", "second-secret-value", "unchanged-value"}) {
                assertFalse(out.contains(secret), format + " leaks " + secret + ":\n" + out);
                assertFalse(out.contains(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))), format);
            }
            assertTrue(out.contains("token: <redacted (changed)>"), format + ":\n" + out);
            assertTrue(out.contains("other: <redacted>"), format + ":\n" + out);
        }
        writeEnvironment("'1.00'", "first-secret-value");
    }

    @Test
    @Order(4)
    void aFieldOwnedByAnotherManagerShowsAsAConflict() {
        client.apps().deployments().inNamespace("data-manager-jupyter-operator").resource(new DeploymentBuilder()
                .withNewMetadata().withName("jupyter-operator").withNamespace("data-manager-jupyter-operator").endMetadata()
                .withNewSpec().withReplicas(4).endSpec().build()).fieldManager("hpa-controller").forceConflicts().serverSideApply();
        CliResult result = cli("diff", "--no-color");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.out().contains("forced conflict: .spec.replicas (owned by hpa-controller)"), result.out());
        assertTrue(result.out().contains("-  replicas: 4") && result.out().contains("+  replicas: 1"), result.out());
        assertEquals(0, cli("apply").exitCode());
    }

    @Test
    @Order(5)
    void aRemovedTemplateShowsAsDeletion() {
        String bundle = repo.root().resolve("templates/jupyter-operator/bundle.yaml").toString();
        repo.write("templates/jupyter-operator/bundle.yaml", read(bundle).replace("""
                  - file: rbac/jupyter-operator/dm-rolebinding.yaml.ftl
                    scope: namespace
                """, ""));
        CliResult result = cli("diff", "--no-color");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.out().contains("- delete RoleBinding.rbac.authorization.k8s.io dm-live/data-manager-jupyter-operator"),
                result.out());
        assertTrue(result.out().contains("Op: 0 create, 1 delete, 0 update, 9 noop"), result.out());
    }

    /**
     * Issue 10: the diff says what apply will do with a Namespace that holds objects outside the inventory (a
     * person's ConfigMap): kept, naming what blocks it, not "delete"; once it is empty, delete. The same words as
     * apply's report, and the diff deletes nothing.
     */
    @Test
    @Order(6)
    void aNamespaceApplyWouldKeepShowsAsKeptWithWhatBlocksIt() {
        repo.write("templates/box/bundle.yaml", """
                        name: box
                        prefix: bx_
                        namespaceVariable: bx_namespace
                        stateVariable: bx_state
                        templates:
                          - {file: templates/box/namespace.yaml.ftl, scope: environment}
                        variables:
                          bx_state: {default: present}
                          bx_namespace: {default: dm-live}
                        """)
                .write("templates/box/namespace.yaml.ftl", """
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: dm-live-box}
                        """);
        writeBox("present");
        CliResult applied = cli("apply");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        client.configMaps().inNamespace("dm-live-box").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("notes").endMetadata().addToData("text", "a person's notes").build()).create();

        writeBox("absent");
        CliResult diff = cli("diff", "--no-color", "--prune-namespaces");
        String kept = "keep Namespace dm-live-box (not deleted: holds objects outside the inventory: ConfigMap dm-live-box/notes)";
        assertTrue(diff.out().contains(kept), diff.out() + diff.err());
        assertFalse(diff.out().contains("delete Namespace"), diff.out());
        CliResult json = cli("diff", "-o", "json", "--prune-namespaces");
        assertTrue(json.out().contains("holds objects outside the inventory: ConfigMap dm-live-box/notes"), json.out());
        assertTrue(json.out().contains("\"change\" : \"keep\"") && !json.out().contains("\"change\" : \"delete\""), json.out());
        assertEquals(null, client.namespaces().withName("dm-live-box").get().getMetadata().getDeletionTimestamp());

        CliResult apply = cli("apply", "--prune-namespaces");
        assertTrue(apply.out().contains("kept Namespace dm-live-box: not deleted: holds objects outside the inventory: "
                + "ConfigMap dm-live-box/notes"), "apply does what the diff said:\n" + apply.out() + apply.err());
        assertEquals(null, client.namespaces().withName("dm-live-box").get().getMetadata().getDeletionTimestamp());

        client.configMaps().inNamespace("dm-live-box").withName("notes").delete();
        diff = cli("diff", "--no-color", "--prune-namespaces");
        assertTrue(diff.out().contains("- delete Namespace dm-live-box"), "empty now: the diff says delete\n" + diff.out());
        apply = cli("apply", "--prune-namespaces");
        assertTrue(apply.out().contains("deleted Namespace dm-live-box"), apply.out() + apply.err());
        writeEnvironment("'1.00'", "first-secret-value");
    }

    private static void writeBox(String state) {
        writeEnvironment("'1.00'", "first-secret-value");
        repo.write("environments/env.yaml", read(repo.root().resolve("environments/env.yaml").toString())
                + "  box:\n    values: {bx_state: %s}\n".formatted(state));
    }

    private static String read(String path) {
        try {
            return java.nio.file.Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
