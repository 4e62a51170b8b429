package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.kube.KubeConnector;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.kube.WriteFence;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.status.Metrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leadership against a real API server that becomes unreachable: the kube-apiserver process is paused with
 * SIGSTOP (connections hang, as with a network partition) and resumed with SIGCONT. The controller uses the
 * run command's client ({@link KubeConnector#forController}: bounded requests, write fence).
 */
class LeadershipIT {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");
    private static RealApiServer server;
    private static KubernetesClient admin;
    private static ProcessHandle apiServer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
        int port = URI.create(admin.getConfiguration().getMasterUrl()).getPort();
        apiServer = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("kube-apiserver"))
                .filter(p -> (" " + String.join(" ", p.info().arguments().orElse(new String[0])) + " ")
                        .contains(" --secure-port " + port + " "))
                .findFirst().orElseThrow(() -> new IllegalStateException("kube-apiserver on port " + port + " not found"));
    }

    @AfterEach
    void resume() throws Exception {
        signal("CONT");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(apiServer.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private Path remote(String environment, String namespace, String cost) throws Exception {
        Path bare = dir.resolve("remote.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        TestRepo work = TestRepo.withProjectBundles(dir.resolve("work"));
        try (Git git = Git.init().setDirectory(work.root().toFile()).setInitialBranch("main").call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
        }
        RealApiServer.createDataManagerNamespace(admin, namespace);
        commit(work.root(), environment, namespace, cost);
        return work.root();
    }

    private static void commit(Path work, String environment, String namespace, String cost) throws Exception {
        TestRepo.empty(work).write("environments/" + environment + ".yaml", """
                cluster: it
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 7.0.0, jo_namespace: %s-operator}
                    namespaces:
                      %s: {jo_cost_cost: %s}
                """.formatted(namespace, namespace, cost));
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("cost " + cost).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            git.push().setRemote("origin").add("main").call();
        }
    }

    private Controller controller(KubernetesClient client, WriteFence fence, String identity, ByteArrayOutputStream log) {
        Controller.Settings settings = new Controller.Settings(dir.resolve("remote.git").toString(), "branch", "main", Set.of(),
                "it", Duration.ofSeconds(1), Duration.ofHours(1), ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler",
                true, "dm-reconciler", "lease-" + identity, identity, dir.resolve("cache"), GitAuth.NONE);
        return new Controller(settings, client, fence, new Metrics(), new Log(new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    private static KubernetesClient controllerClient(RequestCounter counter, WriteFence fence) {
        return KubeConnector.forController(Config.fromKubeconfig(server.kubeconfigYaml()), counter, fence);
    }

    private static String cost(String namespace) {
        ConfigMap map = admin.configMaps().inNamespace(namespace).withName("jupyternotebooks.squonk.it").get();
        if (map == null) {
            return null;
        }
        String config = map.getData().get("dm-app.config");
        int at = config.indexOf("cost = ");
        return at < 0 ? config : config.substring(at + 7, config.indexOf('\n', at));
    }

    private static long await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > timeout.toNanos()) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting until " + what);
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void afterAnOutageLongerThanTheLeaseTheReplicaCampaignsAgainAndWrites() throws Exception {
        Path work = remote("outage", "dm-outage", "'1.00'");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        WriteFence fence = new WriteFence();
        try (KubernetesClient client = controllerClient(new RequestCounter(), fence);
             Controller controller = controller(client, fence, "outage", log)) {
            controller.start();
            await(() -> "1.00".equals(cost("dm-outage")), Duration.ofSeconds(60), "the leader applies");

            signal("STOP");
            long paused = System.nanoTime();
            await(() -> !fence.permits(), Duration.ofSeconds(10), "the write fence closes before the lease can expire");
            long fenced = (System.nanoTime() - paused) / 1_000_000;
            await(() -> Boolean.FALSE.equals(controller.status().get("leader")), Duration.ofSeconds(30), "leadership is lost");
            commit(work, "outage", "dm-outage", "'2.00'"); // fetched while the API server is away: waits for leadership
            Thread.sleep(Math.max(0, Leadership.LEASE.plusSeconds(5).toMillis() - (System.nanoTime() - paused) / 1_000_000));
            assertTrue(controller.live(), "the replica stays live: it campaigns again");
            assertEquals("campaigning", controller.status().get("leadership"));

            signal("CONT");
            long resumed = System.nanoTime();
            await(() -> "2.00".equals(cost("dm-outage")), Duration.ofSeconds(60), "the replica leads and writes again");
            long writesAgain = (System.nanoTime() - resumed) / 1_000_000;
            System.out.println("[measure] API server paused " + (resumed - paused) / 1_000_000 + " ms (lease "
                    + Leadership.LEASE.toSeconds() + " s): write fence closed after " + fenced
                    + " ms; after resuming, the commit made during the outage was applied in " + writesAgain + " ms");
            assertEquals("leading", controller.status().get("leadership"));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("leadership acquired"), log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void withTheApiServerDownAtStartTheReplicaWaitsAndProceeds() throws Exception {
        remote("late", "dm-late", "'1.00'");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        WriteFence fence = new WriteFence();
        signal("STOP");
        try (KubernetesClient client = controllerClient(new RequestCounter(), fence);
             Controller controller = controller(client, fence, "late", log)) {
            controller.start();
            Thread.sleep(10_000);
            assertTrue(controller.live(), "no crash while the API server is away");
            assertTrue(controller.ready(), "git was fetched");
            assertEquals("campaigning", controller.status().get("leadership"));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("leader election failed; campaigning again"),
                    log.toString(StandardCharsets.UTF_8));
            signal("CONT");
            long resumed = System.nanoTime();
            await(() -> "1.00".equals(cost("dm-late")), Duration.ofSeconds(60), "it proceeds once the API server is back");
            System.out.println("[measure] started with the API server paused; applied "
                    + (System.nanoTime() - resumed) / 1_000_000 + " ms after it came back");
        }
    }

    @Test
    void aClosedFenceStopsEveryWriteInTheClientButNotReadsNorTheLease() {
        RequestCounter counter = new RequestCounter();
        WriteFence fence = new WriteFence();
        try (KubernetesClient client = controllerClient(counter, fence)) {
            fence.permitWhile(() -> false);
            ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("fenced").withNamespace("default").endMetadata()
                    .addToData("k", "v").build();
            KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                    () -> client.configMaps().inNamespace("default").resource(map).create());
            assertTrue(String.valueOf(Controller.causes(refused)).contains("write fence closed"), refused.toString());
            assertThrows(KubernetesClientException.class, () -> client.v1().events().inNamespace("default")
                    .resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withGenerateName("x.")
                            .endMetadata().build()).create());
            assertEquals(0, counter.writes(), "nothing was sent: " + counter.snapshot());
            client.configMaps().inNamespace("default").list();
            assertTrue(counter.reads() > 0, "reads pass");
            assertEquals(null, admin.configMaps().inNamespace("default").withName("fenced").get());
            fence.permitWhile(() -> true);
            client.configMaps().inNamespace("default").resource(map).create();
            assertEquals(1, counter.count("POST"));
        }
    }

    @Test
    void shutdownInTheMiddleOfAPassAgainstAHungApiServerEndsWithinTheGracePeriod() throws Exception {
        Path work = remote("shutdown", "dm-shutdown", "'1.00'");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        WriteFence fence = new WriteFence();
        try (KubernetesClient client = controllerClient(new RequestCounter(), fence)) {
            Controller controller = controller(client, fence, "shutdown", log);
            controller.start();
            await(() -> "1.00".equals(cost("dm-shutdown")), Duration.ofSeconds(60), "the leader applies");
            signal("STOP");
            commit(work, "shutdown", "dm-shutdown", "'2.00'");
            await(() -> log.toString(StandardCharsets.UTF_8).contains("new revision"), Duration.ofSeconds(10), "fetched");
            Thread.sleep(1500); // the pass is waiting on the hung API server
            long started = System.nanoTime();
            controller.close();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("[measure] close() in the middle of a pass against a hung API server: " + millis + " ms");
            assertTrue(millis < 20_000, "within the 30 s grace period with room: " + millis + " ms");
        }
    }
}
