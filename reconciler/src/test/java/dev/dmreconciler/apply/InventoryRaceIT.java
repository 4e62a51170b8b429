package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two applies of two revisions of one environment at once (each adds 20 namespaces to a base of 60), then a
 * revision that removes both additions: no object is left without an inventory entry, so none is orphaned.
 */
class InventoryRaceIT {

    private static RealApiServer server;
    private static KubernetesClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%s-%02d", prefix, i)).toList();
    }

    private static TestRepo revision(String name, List<String> namespaces) throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve(name)));
        repo.write("environments/shared.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [%s]
                """.formatted(String.join(", ", namespaces)));
        return repo;
    }

    /** The Data Manager namespaces that hold any object with the reconciler's marks (ConfigMap, Role, RoleBinding). */
    private static Set<String> liveNamespaces() {
        return Stream.of(
                client.configMaps().inAnyNamespace().withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems().stream()
                        .map(o -> o.getMetadata().getNamespace()),
                client.rbac().roles().inAnyNamespace().withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems().stream()
                        .map(o -> o.getMetadata().getNamespace()),
                client.rbac().roleBindings().inAnyNamespace().withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems().stream()
                        .map(o -> o.getMetadata().getNamespace()))
                .flatMap(s -> s).filter(n -> n.startsWith("base-") || n.startsWith("a-") || n.startsWith("b-"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> inventoryNamespaces() {
        Inventory inventory = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadAll("jupyter-operator").get("shared");
        return inventory.entries().keySet().stream().map(k -> k.namespace()).filter(n -> !n.isEmpty() && !n.equals("data-manager-jupyter-operator"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void twoRevisionsAppliedAtOnceLoseNoEntry() throws Exception {
        List<String> base = names("base", 60);
        List<String> addedByA = names("a", 20);
        List<String> addedByB = names("b", 20);
        Stream.of(base, addedByA, addedByB).flatMap(List::stream).parallel()
                .forEach(ns -> RealApiServer.createDataManagerNamespace(client, ns));
        assertTrue(new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .run(ApplyHarness.render(revision("base", base), "shared"), null).succeeded());

        List<String> revisionA = new ArrayList<>(base);
        revisionA.addAll(addedByA);
        List<String> revisionB = new ArrayList<>(base);
        revisionB.addAll(addedByB);
        DesiredState desiredA = ApplyHarness.render(revision("rev-a", revisionA), "shared");
        DesiredState desiredB = ApplyHarness.render(revision("rev-b", revisionB), "shared");
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<ApplyReport> a = CompletableFuture.supplyAsync(() -> runAfter(go, desiredA));
        CompletableFuture<ApplyReport> b = CompletableFuture.supplyAsync(() -> runAfter(go, desiredB));
        go.countDown();
        ApplyReport reportA = a.join();
        ApplyReport reportB = b.join();
        assertTrue(reportA.succeeded(), reportA.toText());
        assertTrue(reportB.succeeded(), reportB.toText());
        // one ran after the other (the Lease), and the later revision is what the cluster has: its additions
        // exist, the other's were pruned; every live object is in the inventory
        assertEquals(inventoryNamespaces(), liveNamespaces());

        assertTrue(new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .run(ApplyHarness.render(revision("base-again", base), "shared"), null).succeeded());
        assertEquals(new TreeSet<>(base), liveNamespaces(), "no orphan of either revision");
        assertEquals(new TreeSet<>(base), inventoryNamespaces());
    }

    private static ApplyReport runAfter(CountDownLatch go, DesiredState desired) {
        try (KubernetesClient own = server.client()) {
            go.await();
            return new ApplyPass(own, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(desired, null);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
