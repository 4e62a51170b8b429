package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-driven {@code run} against a real API server: with the watch cache current, a resync of an unchanged
 * cluster sends no request at all; an edit, a delete or a field-ownership change of a managed object is repaired
 * within seconds although the resync interval is an hour; and the reconciler's own writes do not make it run again.
 * The controller's client is the one {@code run} uses (short timeouts, write fence, no client retries).
 */
class WatchIT {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");
    private static RealApiServer server;
    private static KubernetesClient admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Path remote(String environment, String namespace) throws Exception {
        Path bare = dir.resolve("remote.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        TestRepo work = TestRepo.withProjectBundles(dir.resolve("work"));
        try (Git git = Git.init().setDirectory(work.root().toFile()).setInitialBranch("main").call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
            RealApiServer.createDataManagerNamespace(admin, namespace);
            work.write("environments/" + environment + ".yaml", """
                    cluster: it
                    applications:
                      jupyter-operator:
                        values: {jo_image_tag: 7.0.0, jo_namespace: %s-operator}
                        namespaces:
                          %s: {jo_cost_cost: '1.00'}
                    """.formatted(namespace, namespace));
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            git.push().setRemote("origin").add("main").call();
        }
        return bare;
    }

    private KubernetesClient controllerClient(RequestCounter counter) {
        return KubeConnector.forController(Config.fromKubeconfig(server.kubeconfigYaml()), counter, new WriteFence());
    }

    private Controller controller(Path bare, Duration resync, KubernetesClient client, Metrics metrics,
                                  ByteArrayOutputStream log) {
        Controller.Settings settings = new Controller.Settings(bare.toString(), "branch", "main", Set.of(), "it",
                Duration.ofHours(1), resync, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler", false,
                "dm-reconciler", "dm-reconciler-it", "watch", dir.resolve("cache"), GitAuth.NONE);
        return new Controller(settings, client, null, metrics, new Log(new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> watchStatus(Controller controller) {
        return (Map<String, Object>) controller.status().get("watch");
    }

    private static boolean cacheCurrent(Controller controller) {
        Map<String, Object> watch = watchStatus(controller);
        return ((Integer) watch.get("types")) > 0 && watch.get("types").equals(watch.get("current"));
    }

    private static long await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > timeout.toNanos()) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting until " + what);
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void aResyncOfAnUnchangedClusterSendsNoRequest() throws Exception {
        Path bare = remote("quiet", "dm-quiet");
        RequestCounter counter = new RequestCounter();
        Metrics metrics = new Metrics();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (KubernetesClient client = controllerClient(counter);
             Controller controller = controller(bare, Duration.ofSeconds(1), client, metrics, log)) {
            controller.start();
            await(() -> admin.configMaps().inNamespace("dm-quiet").withName("jupyternotebooks.squonk.it").get() != null,
                    Duration.ofSeconds(60), "the first revision is applied");
            await(() -> cacheCurrent(controller), Duration.ofSeconds(30), "every watched type is listed and watching");
            long settled = RunIT.passes(metrics, "quiet");
            await(() -> RunIT.passes(metrics, "quiet") >= settled + 2, Duration.ofSeconds(30), "two resyncs from the cache");

            counter.reset();
            long before = RunIT.passes(metrics, "quiet");
            Thread.sleep(4_000);
            long passes = RunIT.passes(metrics, "quiet") - before;
            System.out.println("[measure] requests during " + passes + " resyncs of an unchanged cluster: "
                    + counter.snapshot() + " (watch: " + watchStatus(controller) + ")");
            assertTrue(passes >= 2, "the resync ran: " + passes + "\n" + log);
            assertEquals(Map.of(), counter.snapshot(), "no request at all, not even a read:\n" + counter.requestLog());
        }
    }

    @Test
    void anEditADeleteOrATakeOverIsRepairedWithinSecondsAndOwnWritesDoNotLoop() throws Exception {
        Path bare = remote("drift", "dm-drift");
        Metrics metrics = new Metrics();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (KubernetesClient client = controllerClient(new RequestCounter());
             Controller controller = controller(bare, Duration.ofHours(1), client, metrics, log)) {
            controller.start();
            await(() -> replicas("dm-drift-operator") != null, Duration.ofSeconds(60), "the first revision is applied");
            await(() -> cacheCurrent(controller), Duration.ofSeconds(30), "every watched type is listed and watching");
            assertQuiet(metrics, "drift", log);

            // kubectl edit: an update by another field manager of a field the reconciler applied
            admin.apps().deployments().inNamespace("dm-drift-operator").withName("jupyter-operator")
                    .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());
            long edit = await(() -> Integer.valueOf(1).equals(replicas("dm-drift-operator")), Duration.ofSeconds(30),
                    "the edited replicas are repaired (resync is 1 h)");
            System.out.println("[measure] kubectl-edit of replicas repaired after " + edit + " ms");
            assertQuiet(metrics, "drift", log);

            // a server-side apply that takes the field over (another manager, forced)
            Deployment takeOver = new DeploymentBuilder().withNewMetadata().withName("jupyter-operator")
                    .withNamespace("dm-drift-operator").endMetadata().withNewSpec().withReplicas(5).endSpec().build();
            admin.apps().deployments().inNamespace("dm-drift-operator").resource(takeOver).fieldManager("someone-else")
                    .forceConflicts().serverSideApply();
            long owned = await(() -> Integer.valueOf(1).equals(replicas("dm-drift-operator")), Duration.ofSeconds(30),
                    "the field taken over is applied back");
            System.out.println("[measure] field-ownership change repaired after " + owned + " ms");
            assertQuiet(metrics, "drift", log);

            // a delete
            admin.configMaps().inNamespace("dm-drift").withName("jupyternotebooks.squonk.it").delete();
            long deleted = await(() -> admin.configMaps().inNamespace("dm-drift").withName("jupyternotebooks.squonk.it")
                    .get() != null, Duration.ofSeconds(30), "the deleted ConfigMap is created again");
            System.out.println("[measure] deleted ConfigMap recreated after " + deleted + " ms");
            assertQuiet(metrics, "drift", log);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("changed in the cluster; reconciling"), log.toString());
        }
    }

    /** Once a repair is done, nothing more runs: the reconciler's own writes do not come back as work. */
    private static void assertQuiet(Metrics metrics, String environment, ByteArrayOutputStream log) throws InterruptedException {
        Thread.sleep(1_500); // the repair pass ends and its own events arrive
        long before = RunIT.passes(metrics, environment);
        Thread.sleep(2_500);
        assertEquals(before, RunIT.passes(metrics, environment), "no pass without a change:\n" + log);
    }

    private static Integer replicas(String namespace) {
        Deployment deployment = admin.apps().deployments().inNamespace(namespace).withName("jupyter-operator").get();
        return deployment == null ? null : deployment.getSpec().getReplicas();
    }
}
