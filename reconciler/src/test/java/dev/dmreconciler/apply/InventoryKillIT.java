package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a cold apply of 200 Data Manager namespaces (606 objects): the CLI runs as a child
 * process and is killed with {@code kill -9} once about 250 objects exist. Every object it made must be in the
 * inventory, so the next pass converges and prunes exactly what left git.
 */
class InventoryKillIT {

    private static final int NAMESPACES = 200;
    private static final int KILL_AFTER_CONFIGMAPS = 80; // ≈ 6 + 80 × 3 objects written

    private RealApiServer server;
    private ApplyHarness harness;
    private KubernetesClient client;
    private TestRepo repo;
    private Path kubeconfig;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = RealApiServer.start();
        harness = new ApplyHarness(server);
        client = harness.client();
        IntStream.range(0, NAMESPACES).parallel().forEach(i -> RealApiServer.createDataManagerNamespace(client, ns(i)));
        repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("repo")));
        writeEnvironment(IntStream.range(0, NAMESPACES).mapToObj(InventoryKillIT::ns).toList());
        kubeconfig = server.writeKubeconfig(dir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String ns(int i) {
        return String.format("dm-%03d", i);
    }

    private void writeEnvironment(List<String> namespaces) {
        repo.write("environments/big.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [%s]
                """.formatted(String.join(", ", namespaces)));
    }

    /** The Data Manager namespaces that hold the reconciler's ConfigMap. */
    private Set<String> namespacesWritten() {
        return client.configMaps().inAnyNamespace().withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems().stream()
                .map(c -> c.getMetadata().getNamespace()).filter(n -> n.startsWith("dm-")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Runs {@code apply} as a child JVM and kills it (SIGKILL) once enough objects exist. */
    private void applyAndKill() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.dmreconciler.cli.Main",
                "apply", "--repo", repo.root().toString(), "--env", "big", "--kubeconfig", kubeconfig.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (namespacesWritten().size() < KILL_AFTER_CONFIGMAPS) {
                assertTrue(child.isAlive(), "the child ended before it was killed: " + Files.readString(dir.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "the child wrote too little in 3 minutes");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block of the child runs
            child.waitFor();
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
    }

    /** Every object with the reconciler's marks is findable in the inventory: nothing was lost by the kill. */
    private void assertEveryLiveObjectIsInTheInventory() {
        Inventory inventory = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadAll("jupyter-operator").get("big");
        List<String> missing = new ArrayList<>();
        for (ConfigMap map : client.configMaps().inAnyNamespace().withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems()) {
            ObjectKey key = new ObjectKey("", "ConfigMap", map.getMetadata().getNamespace(), map.getMetadata().getName());
            if (map.getMetadata().getNamespace().startsWith("dm-") && !inventory.entries().containsKey(key)) {
                missing.add(key.toString());
            }
        }
        client.rbac().roles().inAnyNamespace().withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems().forEach(role -> {
            ObjectKey key = new ObjectKey("rbac.authorization.k8s.io", "Role", role.getMetadata().getNamespace(), role.getMetadata().getName());
            if (!inventory.entries().containsKey(key)) {
                missing.add(key.toString());
            }
        });
        assertEquals(List.of(), missing);
    }

    @Test
    void aPassAfterTheKillConverges() throws Exception {
        applyAndKill();
        int written = namespacesWritten().size();
        assertTrue(written >= KILL_AFTER_CONFIGMAPS && written < NAMESPACES, "killed in the middle: " + written + " namespaces");
        assertEveryLiveObjectIsInTheInventory();

        ApplyReport next = harness.apply(repo, "big");
        assertTrue(next.succeeded(), next.toText());
        assertEquals(NAMESPACES, namespacesWritten().size());
        assertEquals(6 + 3 * NAMESPACES, new InventoryStore(client, "dm-reconciler", "dm-reconciler")
                .loadAll("jupyter-operator").get("big").entries().size());
        assertTrue(new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadAll("jupyter-operator").get("big")
                .entries().values().stream().noneMatch(Inventory.Entry::pending), "every pending entry settled");

        harness.apply(repo, "big");
        assertEquals(0, harness.counter.writes(), "converged: " + harness.counter.snapshot());
    }

    @Test
    void droppingFiftyNamespacesTheKilledPassWrotePrunesExactlyTheirObjects() throws Exception {
        applyAndKill();
        assertEveryLiveObjectIsInTheInventory();
        List<String> dropped = namespacesWritten().stream().limit(50).toList();
        assertEquals(50, dropped.size());
        List<String> kept = IntStream.range(0, NAMESPACES).mapToObj(InventoryKillIT::ns).filter(n -> !dropped.contains(n)).toList();
        writeEnvironment(kept);

        ApplyReport next = harness.apply(repo, "big");
        assertTrue(next.succeeded(), next.toText());
        List<Result> deleted = next.results().stream().filter(r -> r.outcome() == Outcome.DELETED).toList();
        assertEquals(150, deleted.size(), next.toText());
        assertTrue(deleted.stream().allMatch(r -> dropped.contains(r.change().key().namespace())));
        for (String ns : dropped) {
            assertEquals(0, client.configMaps().inNamespace(ns).withLabel(Stamp.MANAGED_BY, Stamp.MANAGER).list().getItems().size(), ns);
            assertEquals(0, client.rbac().roles().inNamespace(ns).list().getItems().size(), ns);
            assertEquals(0, client.rbac().roleBindings().inNamespace(ns).list().getItems().size(), ns);
        }
        assertEquals(new TreeSet<>(kept), namespacesWritten());

        harness.apply(repo, "big");
        assertEquals(0, harness.counter.writes(), "converged: " + harness.counter.snapshot());
    }
}
