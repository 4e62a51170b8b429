package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.inventory.EnvironmentLock;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryName;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.plan.PrunePolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory on a real API server: unique identities, the identity check between environment files, the
 * Lease, a failed save, an application removed from an environment, keyed hashes of Secrets, and reading an
 * inventory with kubectl as the README says.
 */
class InventoryIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        for (String ns : List.of("dm-a", "dm-b", "dm-c", "dm-d", "dm-e", "dm-f", "dm-g", "dm-h", "dm-i", "dm-j", "dm-k")) {
            RealApiServer.createDataManagerNamespace(client, ns);
        }
    }

    private static String environment(String... namespaces) {
        return """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [%s]
                """.formatted(String.join(", ", namespaces));
    }

    private static ApplyPass pass() {
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler");
    }

    private static InventoryStore store() {
        return new InventoryStore(client, "dm-reconciler", "dm-reconciler");
    }

    @Test
    void namesThatSanitiseAlikeKeepSeparateInventories() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("names")));
        repo.write("environments/team_a.yaml", environment("dm-a"));
        repo.write("environments/team-a.yaml", environment("dm-b"));
        assertTrue(harness.apply(repo, "team_a").succeeded());
        assertTrue(harness.apply(repo, "team-a").succeeded());
        assertEquals(Map.of("team-a", 9, "team_a", 9), Map.of(
                "team-a", store().loadAll("jupyter-operator").get("team-a").entries().size(),
                "team_a", store().loadAll("jupyter-operator").get("team_a").entries().size()));
        assertNotNull(client.configMaps().inNamespace("dm-reconciler").withName(InventoryName.shard("team_a", "jupyter-operator", 0)).get());
        assertNotNull(client.configMaps().inNamespace("dm-reconciler").withName(InventoryName.shard("team-a", "jupyter-operator", 0)).get());

        // team_a moves from dm-a to dm-c: its dm-a objects are pruned; team-a's dm-b objects stay untouched
        repo.write("environments/team_a.yaml", environment("dm-c"));
        ApplyReport moved = harness.apply(repo, "team_a");
        assertTrue(moved.succeeded(), moved.toText());
        assertEquals(3, moved.count(Outcome.DELETED), moved.toText());
        assertNull(client.configMaps().inNamespace("dm-a").withName("jupyternotebooks.squonk.it").get());
        assertNotNull(client.configMaps().inNamespace("dm-b").withName("jupyternotebooks.squonk.it").get());
        assertNotNull(client.configMaps().inNamespace("dm-c").withName("jupyternotebooks.squonk.it").get());
    }

    @Test
    void twoEnvironmentFilesOfOneNameAreRefusedUnlessTakenOver() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("files")));
        Path first = Files.createDirectories(dir.resolve("site-1")).resolve("staging.yaml");
        Path second = Files.createDirectories(dir.resolve("site-2")).resolve("staging.yaml");
        Files.writeString(first, environment("dm-d"));
        Files.writeString(second, environment("dm-e"));
        Path kubeconfig = server.writeKubeconfig(dir);

        TestRepo.CliResult applied = repo.cli("apply", "--env-file", first.toString(), "--kubeconfig", kubeconfig.toString());
        assertEquals(0, applied.exitCode(), applied.err() + applied.out());
        harness.counter.reset();
        TestRepo.CliResult refused = repo.cli("apply", "--env-file", second.toString(), "--kubeconfig", kubeconfig.toString());
        assertEquals(1, refused.exitCode(), refused.err() + refused.out());
        assertTrue(refused.err().contains("environment staging on this cluster is applied from " + first.toAbsolutePath()),
                refused.err());
        assertTrue(refused.err().contains("--take-over-inventory"), refused.err());
        assertNull(client.configMaps().inNamespace("dm-e").withName("jupyternotebooks.squonk.it").get(), "nothing written");
        assertNotNull(client.configMaps().inNamespace("dm-d").withName("jupyternotebooks.squonk.it").get(), "nothing pruned");

        TestRepo.CliResult takenOver = repo.cli("apply", "--env-file", second.toString(), "--kubeconfig", kubeconfig.toString(),
                "--take-over-inventory");
        assertEquals(0, takenOver.exitCode(), takenOver.err() + takenOver.out());
        assertNull(client.configMaps().inNamespace("dm-d").withName("jupyternotebooks.squonk.it").get(), "the moved file owns it now");
        TestRepo.CliResult original = repo.cli("apply", "--env-file", first.toString(), "--kubeconfig", kubeconfig.toString());
        assertEquals(1, original.exitCode(), "the first file is now the other one: " + original.out());
    }

    @Test
    void aSecondPassWaitsForTheLeaseThenFailsNamingTheHolder() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("busy")));
        repo.write("environments/busy.yaml", environment("dm-f"));
        try (EnvironmentLock held = EnvironmentLock.acquire(client, "dm-reconciler", "busy", "other-host:1:feedbeef",
                Duration.ofSeconds(30), Duration.ZERO)) {
            assertTrue(held.held());
            long started = System.nanoTime();
            EnvironmentLock.BusyException busy = assertThrows(EnvironmentLock.BusyException.class,
                    () -> pass().lock(Duration.ofSeconds(2), Duration.ofSeconds(30)).run(ApplyHarness.render(repo, "busy"), null));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 2000);
            assertTrue(busy.getMessage().startsWith("environment busy is being applied by other-host:1:feedbeef since "),
                    busy.getMessage());
            assertNull(client.configMaps().inNamespace("dm-f").withName("jupyternotebooks.squonk.it").get());
        }
        // released: the next pass takes it at once
        assertTrue(pass().lock(Duration.ZERO, Duration.ofSeconds(30)).run(ApplyHarness.render(repo, "busy"), null).succeeded());
        harness.counter.reset();
        ApplyReport unchanged = harness.apply(repo, "busy");
        assertEquals(0, harness.counter.writes(), "an unchanged environment takes no Lease: " + harness.counter.snapshot());
        assertTrue(unchanged.succeeded());
    }

    @Test
    void aFailedSaveIsReportedAndTheNextPassStillConverges() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("save")));
        repo.write("environments/save.yaml", environment("dm-g"));
        String shard = InventoryName.shard("save", "jupyter-operator", 0);
        AtomicInteger writes = new AtomicInteger();
        // someone writes the inventory while the pass runs (after its record of pending entries): the final save
        // conflicts; the report says so and keeps every object's result
        ApplyReport report = pass().run(ApplyHarness.render(repo, "save"), null, () -> {
            if (writes.incrementAndGet() == 3) {
                ConfigMap map = client.configMaps().inNamespace("dm-reconciler").withName(shard).get();
                map.getMetadata().getAnnotations().put("touched", "yes");
                client.configMaps().inNamespace("dm-reconciler").resource(map).update();
            }
            return true;
        });
        assertFalse(report.succeeded());
        assertEquals(9, report.count(Outcome.CREATED) + report.count(Outcome.CONFIGURED), report.toText());
        assertEquals(1, report.inventoryErrors().size(), report.toText());
        assertTrue(report.toText().contains("was written by another process since this pass read it"), report.toText());
        Inventory recorded = store().loadAll("jupyter-operator").get("save");
        assertEquals(9, recorded.entries().size(), "the pending entries make every object findable");
        assertTrue(recorded.entries().values().stream().allMatch(Inventory.Entry::pending));

        ApplyReport next = harness.apply(repo, "save");
        assertTrue(next.succeeded(), next.toText());
        assertEquals(9, next.count(Outcome.CONFIGURED), "pending entries are re-applied once: " + next.toText());
        assertTrue(next.toText().contains("recorded by a pass that did not finish"), next.toText());
        harness.apply(repo, "save");
        assertEquals(0, harness.counter.writes(), "then nothing: " + harness.counter.snapshot());
    }

    @Test
    void anApplicationRemovedFromTheEnvironmentIsKeptWithAWarning() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("removed")));
        repo.write("templates/mini/bundle.yaml", """
                name: mini
                prefix: mi_
                namespaceVariable: mi_namespace
                stateVariable: mi_state
                templates:
                  - file: templates/mini/cm.yaml.ftl
                    scope: namespace
                  - file: templates/mini/secret.yaml.ftl
                    scope: namespace
                variables:
                  mi_state: {default: present, allowed: [present, absent]}
                  mi_password: {default: hunter2}
                  mi_namespace: {}
                """);
        repo.write("templates/mini/cm.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: mini
                data:
                  a: "1"
                """);
        repo.write("templates/mini/secret.yaml.ftl", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: mini-credentials
                stringData:
                  password: ${mi_password?c}
                """);
        repo.write("environments/two.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [dm-h]
                  mini:
                    namespaces: [dm-i]
                """);
        ApplyReport both = harness.apply(repo, "two");
        assertTrue(both.succeeded(), both.toText());

        // the Secret's hash (annotation and inventory) is keyed with the cluster's key, not a plain digest
        Secret secret = client.secrets().inNamespace("dm-i").withName("mini-credentials").get();
        String hash = secret.getMetadata().getAnnotations().get("dm-reconciler.dev/hash");
        Secret key = client.secrets().inNamespace("dm-reconciler").withName("dm-reconciler-hash-key").get();
        assertNotNull(key, "created on first use");
        assertEquals(32, java.util.Base64.getDecoder().decode(key.getData().get("key")).length);
        Inventory mini = store().loadAll("mini").get("two");
        assertTrue(mini.entries().values().stream().anyMatch(e -> e.hash().equals(hash)));
        harness.apply(repo, "two");
        assertEquals(0, harness.counter.writes(), "the keyed hash is stable: " + harness.counter.snapshot());

        repo.write("environments/two.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [dm-h]
                """);
        ApplyReport removed = harness.apply(repo, "two");
        assertTrue(removed.succeeded(), removed.toText());
        assertEquals(0, removed.count(Outcome.DELETED));
        assertEquals(List.of("application mini is no longer in environment two: its 2 objects are kept, not pruned "
                + "(to remove them, put it back with state: absent, apply, then remove it)"), removed.warnings());
        assertTrue(removed.toText().contains("warning: application mini is no longer in environment two"), removed.toText());
        assertEquals(0, harness.counter.writes());
        assertNotNull(client.configMaps().inNamespace("dm-i").withName("mini").get());

        repo.write("environments/two.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 33.0.0}
                    namespaces: [dm-h]
                  mini:
                    state: absent
                    namespaces: [dm-i]
                """);
        ApplyReport absent = harness.apply(repo, "two");
        assertEquals(2, absent.count(Outcome.DELETED), absent.toText());
        assertNull(client.configMaps().inNamespace("dm-i").withName("mini").get());
        assertTrue(absent.warnings().isEmpty());
    }

    @Test
    void kubectlReadsAnInventoryAsTheReadmeSays() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(Files.createDirectories(dir.resolve("kubectl")));
        repo.write("environments/readable.yaml", environment("dm-j", "dm-k"));
        assertTrue(harness.apply(repo, "readable").succeeded());
        Path kubectl = Path.of(System.getenv("KUBE_API_TEST_DIR"), "k8s", RealApiServer.VERSION + "-linux-amd64", "kubectl");
        Path kubeconfig = server.writeKubeconfig(dir);
        String command = kubectl + " --kubeconfig " + kubeconfig + " get configmaps -n dm-reconciler"
                + " -l dm-reconciler.dev/environment-id=" + InventoryName.environmentId("readable")
                + " -o go-template='{{range .items}}{{index .binaryData \"objects.jsonl.gz\"}}{{\"\\n\"}}{{end}}'"
                + " | while read -r shard; do echo \"$shard\" | base64 -d; done | gunzip";
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), out);
        assertEquals(12, out.lines().count(), out);
        assertTrue(out.contains("\"kind\":\"ConfigMap\",\"namespace\":\"dm-k\",\"name\":\"jupyternotebooks.squonk.it\""), out);
    }
}
