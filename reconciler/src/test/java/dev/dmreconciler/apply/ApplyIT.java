package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jupyter bundle applied to three Data Manager namespaces of a real API server, then changed step by
 * step as a team would change it through git. The steps share one cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyIT {

    private static final List<String> NAMESPACES = List.of("dm-a", "dm-b", "dm-c");
    private static RealApiServer server;
    private static ApplyHarness harness;
    private static KubernetesClient client;

    @TempDir
    static Path dir;
    private static TestRepo repo;

    @BeforeAll
    static void startServer() {
        server = RealApiServer.start();
        harness = new ApplyHarness(server);
        client = harness.client();
        NAMESPACES.forEach(ns -> RealApiServer.createDataManagerNamespace(client, ns));
        repo = TestRepo.withProjectBundles(dir);
        writeEnvironment("'1.00'", "");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static void writeEnvironment(String costOfB, String extraValues) {
        repo.write("environments/env.yaml", """
                applications:
                  jupyter-operator:
                    values:
                      jo_image_tag: 33.0.0
                %s
                    namespaces:
                      dm-a: {}
                      dm-b: {jo_cost_cost: %s}
                      dm-c: {}
                """.formatted(extraValues, costOfB));
    }

    @Test
    @Order(1)
    void freshApplyCreatesEverythingInEveryNamespace() {
        ApplyReport report = harness.apply(repo, "env");
        assertTrue(report.succeeded(), report.toText());
        assertEquals(6 + 3 * 3, report.count(Outcome.CREATED), report.toText());
        for (String ns : NAMESPACES) {
            ConfigMap config = client.configMaps().inNamespace(ns).withName("jupyternotebooks.squonk.it").get();
            assertNotNull(config, ns);
            assertTrue(config.getData().get("dm-app.config").contains("[cost]"));
            assertEquals("dm-reconciler", config.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
            assertEquals("env", config.getMetadata().getAnnotations().get("dm-reconciler.dev/environment"));
            assertNotNull(client.rbac().roles().inNamespace(ns).withName("data-manager-jupyter-operator").get());
            assertNotNull(client.rbac().roleBindings().inNamespace(ns).withName("data-manager-jupyter-operator").get());
        }
        assertEquals("dm-a:dm-b:dm-c", client.apiextensions().v1().customResourceDefinitions()
                .withName("jupyternotebooks.squonk.it").get().getMetadata().getAnnotations()
                .get("data-manager.informaticsmatters.com/application-namespaces"));
        assertNotNull(client.apps().deployments().inNamespace("data-manager-jupyter-operator").withName("jupyter-operator").get());
        assertNotNull(client.configMaps().inNamespace("dm-reconciler").withName(
                dev.dmreconciler.inventory.InventoryName.shard("env", "jupyter-operator", 0)).get());
    }

    @Test
    @Order(2)
    void immediateReapplyWritesNothing() {
        ApplyReport report = harness.apply(repo, "env");
        assertTrue(report.succeeded(), report.toText());
        assertEquals(15, report.count(Outcome.UNCHANGED), report.toText());
        assertEquals(0, harness.counter.writes(), harness.counter.snapshot().toString());
        assertEquals(List.of(), report.inventoriesWritten());
    }

    @Test
    @Order(3)
    void changingOnePerNamespaceValueWritesOnlyThere() {
        writeEnvironment("'9.99'", "");
        ApplyReport report = harness.apply(repo, "env");
        assertTrue(report.succeeded(), report.toText());
        assertEquals(1, report.count(Outcome.CONFIGURED), report.toText());
        Result changed = report.results().stream().filter(r -> r.outcome() == Outcome.CONFIGURED).findFirst().orElseThrow();
        assertEquals("dm-b", changed.change().key().namespace());
        assertEquals("ConfigMap", changed.change().key().kind());
        // the ConfigMap itself, the inventory shard recording its new hash, and the environment's Lease (taken
        // and released: a pass that writes holds it)
        assertEquals(4, harness.counter.writes(), harness.counter.snapshot().toString());
        assertEquals(3, harness.counter.count("PUT"), "lease, inventory shard, lease: " + harness.counter.snapshot());
        assertTrue(client.configMaps().inNamespace("dm-b").withName("jupyternotebooks.squonk.it").get()
                .getData().get("dm-app.config").contains("cost = 9.99"));
    }

    @Test
    @Order(4)
    void removingATemplatePrunesItsObjectsButNeverUserObjects() {
        // a "user" notebook created through the CRD: never the reconciler's to delete
        client.genericKubernetesResources("squonk.it/v2", "JupyterNotebook").inNamespace("dm-a")
                .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                        .withApiVersion("squonk.it/v2").withKind("JupyterNotebook")
                        .withNewMetadata().withName("users-notebook").withNamespace("dm-a").endMetadata().build())
                .create();
        String bundle = repo.root().resolve("templates/jupyter-operator/bundle.yaml").toString();
        String text = readString(bundle).replace("""
                  - file: templates/jupyter-operator/dm-configmap.yaml.ftl
                    scope: namespace
                """, "");
        repo.write("templates/jupyter-operator/bundle.yaml", text);
        ApplyReport report = harness.apply(repo, "env");
        assertTrue(report.succeeded(), report.toText());
        assertEquals(3, report.count(Outcome.DELETED), report.toText());
        for (String ns : NAMESPACES) {
            assertNull(client.configMaps().inNamespace(ns).withName("jupyternotebooks.squonk.it").get(), ns);
        }
        assertNotNull(client.genericKubernetesResources("squonk.it/v2", "JupyterNotebook").inNamespace("dm-a")
                .withName("users-notebook").get(), "a user's notebook survives every prune");
    }

    private static String readString(String path) {
        try {
            return java.nio.file.Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
