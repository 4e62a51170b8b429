package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.inventory.InventoryName;
import dev.dmreconciler.inventory.InventoryStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 Data Manager namespaces (6,006 objects) in one environment: the inventory, which stopped at about 1,600
 * namespaces when it was one ConfigMap, is sharded and compressed; the second pass writes nothing. Slow on a
 * small machine (it prints its numbers); kept separate from the other inventory tests for that reason.
 */
class InventoryScaleIT {

    private static final int NAMESPACES = 2000;
    private static RealApiServer server;
    private static ApplyHarness harness;
    private static KubernetesClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = RealApiServer.start();
        harness = new ApplyHarness(server);
        client = harness.client();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> created = IntStream.range(0, NAMESPACES)
                .<Future<?>>mapToObj(i -> pool.submit(() -> RealApiServer.createDataManagerNamespace(client, ns(i)))).toList();
        for (Future<?> future : created) {
            future.get();
        }
        pool.shutdown();
        System.out.printf("scale: %d namespaces with their ServiceAccount created in %d ms%n", NAMESPACES, millisSince(started));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String ns(int i) {
        return String.format("data-manager-api-%04d", i);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @Test
    void twoThousandNamespacesThenASecondPassWithoutWrites() {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        repo.write("environments/large.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [%s]
                """.formatted(String.join(", ", IntStream.range(0, NAMESPACES).mapToObj(InventoryScaleIT::ns).toList())));

        long cold = System.nanoTime();
        ApplyReport first = harness.apply(repo, "large");
        long coldMillis = millisSince(cold);
        assertTrue(first.succeeded(), first.toText().lines().filter(l -> l.contains("fail") || l.startsWith("error")).limit(20).toList().toString());
        assertEquals(6 + 3 * NAMESPACES, first.count(Outcome.CREATED));
        String coldRequests = harness.counter.snapshot().toString();

        List<ConfigMap> shards = client.configMaps().inNamespace("dm-reconciler")
                .withLabel(InventoryStore.INVENTORY_ID, InventoryName.inventoryId("large", "jupyter-operator")).list().getItems();
        long bytes = shards.stream().mapToLong(s -> s.getBinaryData().get(InventoryStore.DATA_KEY).length()).sum();
        long largest = shards.stream().mapToLong(s -> s.getBinaryData().get(InventoryStore.DATA_KEY).length()).max().orElse(0);
        assertTrue(largest < 512 * 1024, "every shard well under 1 MiB: " + largest);
        assertEquals(6 + 3 * NAMESPACES, new InventoryStore(client, "dm-reconciler", "dm-reconciler")
                .loadAll("jupyter-operator").get("large").entries().size());

        long second = System.nanoTime();
        ApplyReport again = harness.apply(repo, "large");
        long secondMillis = millisSince(second);
        assertTrue(again.succeeded());
        assertEquals(6 + 3 * NAMESPACES, again.count(Outcome.UNCHANGED));
        assertEquals(0, harness.counter.writes(), harness.counter.snapshot().toString());

        System.out.printf("scale: %d objects; cold apply %d ms %s; inventory %d shards, %d bytes stored (%.1f bytes/object, "
                        + "largest shard %d); second pass %d ms %s%n", 6 + 3 * NAMESPACES, coldMillis, coldRequests,
                shards.size(), bytes, bytes / (double) (6 + 3 * NAMESPACES), largest, secondMillis, harness.counter.snapshot());
    }
}
