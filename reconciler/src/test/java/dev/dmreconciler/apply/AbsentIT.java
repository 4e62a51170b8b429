package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.PrunePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jo_state: absent} removes everything the application owns in the environment, in every Data
 * Manager namespace and its cluster RBAC (which the Ansible role leaks), but the CRD only with --prune-crds.
 */
class AbsentIT {

    private static RealApiServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void absentRemovesEverythingButTheCrdUntilItIsOptedIn() {
        ApplyHarness harness = new ApplyHarness(server);
        KubernetesClient client = harness.client();
        List.of("dm-1", "dm-2").forEach(ns -> RealApiServer.createDataManagerNamespace(client, ns));
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/prod.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 1.2.3}
                    namespaces: [dm-1, dm-2]
                """);
        assertTrue(harness.apply(repo, "prod").succeeded());

        repo.write("environments/prod.yaml", """
                applications:
                  jupyter-operator:
                    state: absent
                    values: {jo_image_tag: 1.2.3}
                    namespaces: [dm-1, dm-2]
                """);
        ApplyReport absent = harness.apply(repo, "prod");
        assertTrue(absent.succeeded(), absent.toText());
        assertEquals(1, absent.count(Outcome.KEPT), absent.toText());
        assertNull(client.rbac().clusterRoles().withName("jupyter-operator").get(), "cluster RBAC is not leaked");
        assertNull(client.rbac().clusterRoleBindings().withName("jupyter-operator").get());
        for (String ns : List.of("dm-1", "dm-2")) {
            assertNull(client.rbac().roles().inNamespace(ns).withName("data-manager-jupyter-operator").get(), ns);
            assertNull(client.configMaps().inNamespace(ns).withName("jupyternotebooks.squonk.it").get(), ns);
            assertNotNull(client.namespaces().withName(ns).get(), "Data Manager namespaces are not ours to delete");
        }
        var operatorNamespace = client.namespaces().withName("data-manager-jupyter-operator").get();
        assertTrue(operatorNamespace == null || operatorNamespace.getMetadata().getDeletionTimestamp() != null,
                "the operator namespace is being deleted");
        assertNotNull(client.apiextensions().v1().customResourceDefinitions().withName("jupyternotebooks.squonk.it").get(),
                "the CRD (and with it every user's notebooks) stays without --prune-crds");

        ApplyReport withOptIn = harness.prunePolicy(new PrunePolicy(false, true, false)).apply(repo, "prod");
        assertTrue(withOptIn.succeeded(), withOptIn.toText());
        assertEquals(1, withOptIn.count(Outcome.DELETED), withOptIn.toText());
        var crd = client.apiextensions().v1().customResourceDefinitions().withName("jupyternotebooks.squonk.it").get();
        assertTrue(crd == null || crd.getMetadata().getDeletionTimestamp() != null);
        assertNull(client.configMaps().inNamespace("dm-reconciler").withName(
                dev.dmreconciler.inventory.InventoryName.shard("prod", "jupyter-operator", 0)).get(),
                "an empty inventory is removed");
    }
}
