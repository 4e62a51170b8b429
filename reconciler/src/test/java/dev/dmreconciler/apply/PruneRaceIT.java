package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prune against someone else acting at the worst moment, on a real API server: an object deleted and created
 * again (with our marks copied, as a restore from a backup or another tool would) between the plan and the
 * DELETE is never deleted, whether the swap happens before the prune reads it again (UID compared) or between
 * that read and the DELETE (the DELETE's UID precondition). The swap is made by a hook in the reconciler's own
 * HTTP client, right before the request it names is sent. And an object moved from one application to another
 * of the same environment is handed over in one pass: no DELETE, the same UID throughout.
 */
class PruneRaceIT {

    private static RealApiServer server;
    private static KubernetesClient admin;
    private static final RequestCounter counter = new RequestCounter();
    private static final Hook hook = new Hook();
    private static KubernetesClient client;

    @TempDir
    static Path dir;

    /** Runs an action (once) right before the reconciler's client sends the named request. */
    static final class Hook implements Interceptor {
        private final AtomicReference<String> request = new AtomicReference<>();
        private volatile Runnable action;
        volatile int fired;
        volatile RuntimeException failure;

        void before(String method, String path, Runnable action) {
            this.action = action;
            fired = 0;
            request.set(method + " " + path);
        }

        @Override
        public void before(BasicBuilder builder, HttpRequest httpRequest, RequestTags tags) {
            String seen = httpRequest.method() + " " + httpRequest.uri().getPath();
            String awaited = request.get();
            if (seen.equals(awaited) && request.compareAndSet(awaited, null)) { // once
                try {
                    action.run();
                    fired++;
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
        }
    }

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
        Config config = Config.fromKubeconfig(server.kubeconfigYaml());
        client = new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(builder -> builder
                .addOrReplaceInterceptor("request-counter", counter).addOrReplaceInterceptor("hook", hook)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static ApplyReport apply(TestRepo repo, String environment) {
        var config = repo.open();
        DesiredState desired = Renderer.renderNamed(config, environment);
        Wanted elsewhere = Wanted.elsewhere(config, desired.environment());
        counter.reset();
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(desired, null, () -> true,
                elsewhere);
    }

    private static Result only(ApplyReport report, String namespace, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind)
                        && r.change().key().name().equals(name) && namespace.equals(r.change().key().namespace()))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    /** Someone else deletes the ConfigMap and creates it again, with our labels and annotations copied. */
    private static Runnable recreate(String namespace, String name) {
        return () -> {
            ConfigMap old = admin.configMaps().inNamespace(namespace).withName(name).get();
            admin.configMaps().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
            long until = System.nanoTime() + 10_000_000_000L;
            while (admin.configMaps().inNamespace(namespace).withName(name).get() != null && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            admin.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                    .withLabels(old.getMetadata().getLabels()).withAnnotations(old.getMetadata().getAnnotations()).endMetadata()
                    .addToData("restored", "by someone else").build()).create();
        };
    }

    private static List<String> deletesOf(String path) {
        return counter.writeLog().stream().filter(w -> w.equals("DELETE " + path)).toList();
    }

    private TestRepo shop(String name, String... namespaces) {
        for (String namespace : namespaces) {
            RealApiServer.createDataManagerNamespace(admin, namespace);
        }
        return ShopBundle.repo(dir.resolve(name)).write("environments/" + name + ".yaml", "applications:\n  shop:\n"
                + "    values: {sh_home: " + name + "-home}\n    namespaces: [" + String.join(", ", namespaces) + "]\n");
    }

    @Test
    void anObjectCreatedAgainBetweenTheRereadAndTheDeleteIsNotDeletedThanksToTheUidPrecondition() {
        TestRepo repo = shop("uidpre", "up-1", "up-2");
        assertTrue(apply(repo, "uidpre").succeeded());
        String path = "/api/v1/namespaces/up-2/configmaps/first";
        String before = admin.configMaps().inNamespace("up-2").withName("first").get().getMetadata().getUid();

        repo.write("environments/uidpre.yaml", "applications:\n  shop:\n    values: {sh_home: uidpre-home}\n    namespaces: [up-1]\n");
        hook.before("DELETE", path, recreate("up-2", "first"));
        ApplyReport report = apply(repo, "uidpre");

        assertEquals(1, hook.fired, "the swap happened right before the DELETE was sent: " + hook.failure + "\n"
                + counter.writeLog() + "\n" + report.toText());
        assertEquals(1, deletesOf(path).size(), "one DELETE was sent, with the old UID: " + counter.writeLog());
        Result first = only(report, "up-2", "ConfigMap", "first");
        assertEquals(Outcome.KEPT, first.outcome(), report.toText());
        assertTrue(first.message().contains("UID precondition"), first.message());
        ConfigMap live = admin.configMaps().inNamespace("up-2").withName("first").get();
        assertNotNull(live, "the object someone else created is still there");
        assertNotEquals(before, live.getMetadata().getUid());
        assertEquals("by someone else", live.getData().get("restored"));
        assertEquals(Outcome.DELETED, only(report, "up-2", "Service", "web").outcome(), "the rest is pruned: " + report.toText());
    }

    @Test
    void anObjectCreatedAgainBeforeThePruneRereadsItIsNotDeletedAndNoDeleteIsSent() {
        TestRepo repo = shop("reread", "rr-1", "rr-2");
        assertTrue(apply(repo, "reread").succeeded());
        String path = "/api/v1/namespaces/rr-2/configmaps/first";

        repo.write("environments/reread.yaml", "applications:\n  shop:\n    values: {sh_home: reread-home}\n    namespaces: [rr-1]\n");
        hook.before("GET", path, recreate("rr-2", "first")); // the plan LISTs; the prune's re-read is the first GET by name
        ApplyReport report = apply(repo, "reread");

        assertEquals(1, hook.fired, "the swap happened right before the re-read: " + hook.failure + "\n"
                + counter.writeLog() + "\n" + report.toText());
        assertEquals(List.of(), deletesOf(path), "no DELETE at all");
        Result first = only(report, "rr-2", "ConfigMap", "first");
        assertEquals(Outcome.KEPT, first.outcome(), report.toText());
        assertTrue(first.message().contains("deleted and created again since it was planned"), first.message());
        assertEquals("by someone else", admin.configMaps().inNamespace("rr-2").withName("first").get().getData().get("restored"));
    }

    @Test
    void anObjectMovedToAnotherApplicationOfTheEnvironmentIsHandedOverWithoutADelete() {
        RealApiServer.createDataManagerNamespace(admin, "mv-app");
        TestRepo repo = TestRepo.empty(dir.resolve("apps"));
        for (String app : List.of("alpha", "beta")) {
            repo.write("templates/" + app + "/bundle.yaml", """
                    name: %1$s
                    prefix: %2$s_
                    namespaceVariable: %2$s_namespace
                    templates:
                      - file: templates/%1$s/cm.yaml.ftl
                    variables:
                      %2$s_has: {type: boolean, default: false}
                      %2$s_namespace: {default: mv-app}
                    """.formatted(app, app.substring(0, 2)))
                    .write("templates/" + app + "/cm.yaml.ftl", """
                    <#if %s_has>
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: moving, namespace: mv-app}
                    data: {owner: shared}
                    </#if>
                    """.formatted(app.substring(0, 2)));
        }
        String env = "applications:\n  alpha:\n    values: {al_has: %s}\n  beta:\n    values: {be_has: %s}\n";
        repo.write("environments/apps.yaml", env.formatted(true, false));
        ApplyReport first = apply(repo, "apps");
        assertTrue(first.succeeded(), first.toText());
        String path = "/api/v1/namespaces/mv-app/configmaps/moving";
        String uid = admin.configMaps().inNamespace("mv-app").withName("moving").get().getMetadata().getUid();

        repo.write("environments/apps.yaml", env.formatted(false, true)); // one commit: alpha drops it, beta renders it
        ApplyReport moved = apply(repo, "apps");
        assertTrue(moved.succeeded(), moved.toText());
        assertEquals(List.of(), deletesOf(path), "never deleted: " + counter.writeLog());
        ConfigMap live = admin.configMaps().inNamespace("mv-app").withName("moving").get();
        assertEquals(uid, live.getMetadata().getUid(), "the same object throughout");
        assertEquals("beta", live.getMetadata().getLabels().get("dm-reconciler.dev/application"));
        assertEquals(Outcome.CONFIGURED, only(moved, "mv-app", "ConfigMap", "moving").outcome(), moved.toText());

        ApplyReport again = apply(repo, "apps");
        assertEquals(0, counter.writes(), "converged: " + counter.writeLog() + "\n" + again.toText());

        repo.write("environments/apps.yaml", env.formatted(false, false)); // beta owns it now: its prune deletes it
        ApplyReport removed = apply(repo, "apps");
        assertEquals(Outcome.DELETED, only(removed, "mv-app", "ConfigMap", "moving").outcome(), removed.toText());
        assertEquals(1, deletesOf(path).size());
    }

    @Test
    void aReplacementNeverDeletesAnObjectThatIsNotTheOnePlanned() {
        RealApiServer.createDataManagerNamespace(admin, "rp-race");
        java.util.function.Function<String, TestRepo> jobs = image -> jobs("replace", "rp-race", image);
        assertTrue(apply(jobs.apply("busybox:1"), "replace").succeeded());
        String path = "/apis/batch/v1/namespaces/rp-race/jobs/migrate";

        // right before the apply of the new image, someone deletes our Job and runs their own of the same name
        hook.before("PATCH", path, () -> {
            admin.batch().v1().jobs().inNamespace("rp-race").withName("migrate")
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
            long until = System.nanoTime() + 10_000_000_000L;
            while (admin.batch().v1().jobs().inNamespace("rp-race").withName("migrate").get() != null
                    && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            admin.batch().v1().jobs().inNamespace("rp-race").resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                    .withNewMetadata().withName("migrate").endMetadata().withNewSpec().withBackoffLimit(0)
                    .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("theirs")
                    .withImage("theirs:7").endContainer().endSpec().endTemplate().endSpec().build()).create();
        });
        ApplyReport report = apply(jobs.apply("busybox:2"), "replace");

        assertEquals(1, hook.fired, "the swap happened right before the apply: " + hook.failure + "\n" + report.toText());
        assertEquals(List.of(), deletesOf(path), "no DELETE of their Job: " + counter.writeLog());
        Result migrate = only(report, "rp-race", "Job", "migrate");
        // the apply is bound to the UID the plan read: refused by the API server before it could reach the 422 that
        // starts a replacement (before that binding, the replacement's own re-read refused it: "not replaced")
        assertEquals(Outcome.FAILED, migrate.outcome(), report.toText());
        assertEquals(dev.dmreconciler.plan.Reason.STALE_READ, migrate.reason(), migrate.message());
        assertEquals("theirs:7", admin.batch().v1().jobs().inNamespace("rp-race").withName("migrate").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage(), "their Job is untouched");

        ApplyReport next = apply(jobs.apply("busybox:2"), "replace"); // the retry plans from what is there now
        Result theirs = only(next, "rp-race", "Job", "migrate");
        assertEquals(Outcome.REFUSED, theirs.outcome(), next.toText());
        assertEquals(dev.dmreconciler.plan.Reason.NOT_OURS, theirs.reason(), "in the inventory, but made by someone else: "
                + theirs.message());
        assertEquals(List.of(), deletesOf(path), "no DELETE of their Job: " + counter.writeLog());
        assertEquals("theirs:7", admin.batch().v1().jobs().inNamespace("rp-race").withName("migrate").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage(), "their Job is untouched");
    }

    /** An environment {@code name} with one Job "migrate" (lifecycle recreate: a new image replaces it) in {@code namespace}. */
    private static TestRepo jobs(String name, String namespace, String image) {
        return TestRepo.empty(dir.resolve(name))
                .write("templates/jobs/bundle.yaml", """
                        name: jobs
                        prefix: jb_
                        namespaceVariable: jb_namespace
                        templates:
                          - file: templates/jobs/job.yaml.ftl
                            scope: namespace
                        variables:
                          jb_namespace: {default: dm}
                          jb_image: {default: "busybox:1"}
                        """)
                .write("templates/jobs/job.yaml.ftl", """
                        apiVersion: batch/v1
                        kind: Job
                        metadata:
                          name: migrate
                          annotations: {dm-reconciler.dev/lifecycle: recreate}
                        spec:
                          backoffLimit: 0
                          template:
                            spec:
                              restartPolicy: Never
                              containers: [{name: work, image: "${jb_image}"}]
                        """)
                .write("environments/" + name + ".yaml", "applications:\n  jobs:\n    values: {jb_image: '" + image
                        + "'}\n    namespaces: [" + namespace + "]\n");
    }

    /** Their Job "migrate": the same spec as ours with {@code image}, none of our labels (an operator's, made at once). */
    private static Runnable theirJob(String namespace, String image) {
        return () -> admin.batch().v1().jobs().inNamespace(namespace).resource(
                new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder().withNewMetadata().withName("migrate")
                        .addToLabels("made-by", "operator").endMetadata().withNewSpec().withBackoffLimit(0)
                        .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("work")
                        .withImage(image).endContainer().endSpec().endTemplate().endSpec().build()).create();
    }

    private static List<String> writesOf(String method, String path) {
        return counter.writeLog().stream().filter(w -> w.equals(method + " " + path)).toList();
    }

    /**
     * A replacement deleted our Job; before the wait for it to be gone sees the name free, someone else (an operator
     * that recreates it at once) made their own Job of that name. The replacement stops: nothing is written to their
     * Job, which does not get our marks (that would take it over without --adopt).
     */
    @Test
    void aReplacementNeverWritesToAnObjectMadeBySomeoneElseAfterItsDelete() {
        RealApiServer.createDataManagerNamespace(admin, "rp-again");
        assertTrue(apply(jobs("again", "rp-again", "busybox:1"), "again").succeeded());
        String path = "/apis/batch/v1/namespaces/rp-again/jobs/migrate";
        // the replacement reads the Job (GET), deletes that UID, then GETs until the name is free: their Job comes
        // right before that second GET
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        hook.before("GET", path, () -> hook.before("GET", path, () -> {
            theirJob("rp-again", "busybox:2").run();
            made.incrementAndGet();
        }));
        ApplyReport report = apply(jobs("again", "rp-again", "busybox:2"), "again");

        assertEquals(1, made.get(), "their Job was made between our DELETE and the wait's GET: " + hook.failure + "\n"
                + report.toText());
        Result migrate = only(report, "rp-again", "Job", "migrate");
        assertEquals(Outcome.FAILED, migrate.outcome(), report.toText());
        assertEquals(dev.dmreconciler.plan.Reason.STALE_READ, migrate.reason(), migrate.message());
        assertEquals(1, writesOf("PATCH", path).size(), "only the apply that met the immutable field, none onto their Job: "
                + counter.writeLog());
        var theirs = admin.batch().v1().jobs().inNamespace("rp-again").withName("migrate").get();
        assertEquals("operator", theirs.getMetadata().getLabels().get("made-by"));
        assertEquals(null, theirs.getMetadata().getLabels().get(dev.dmreconciler.resource.Stamp.MANAGED_BY),
                "their Job carries none of our marks: " + theirs.getMetadata().getLabels());
    }

    /**
     * The plan saw no Job "migrate" and creates it; right before the create someone else (an operator) makes their
     * own of that name. The create is never forced: their object's fields conflict, nothing is written, their Job
     * keeps its image and gets none of our marks (taking it over needs --adopt).
     */
    @Test
    void aCreateNeverTakesOverAnObjectSomeoneMadeSinceThePlanRead() {
        RealApiServer.createDataManagerNamespace(admin, "cr-race");
        String path = "/apis/batch/v1/namespaces/cr-race/jobs/migrate";
        hook.before("PATCH", path, theirJob("cr-race", "theirs:7"));
        ApplyReport report = apply(jobs("made", "cr-race", "busybox:1"), "made");

        assertEquals(1, hook.fired, "their Job was made right before our create: " + hook.failure + "\n" + report.toText());
        Result migrate = only(report, "cr-race", "Job", "migrate");
        assertEquals(Outcome.FAILED, migrate.outcome(), report.toText());
        assertEquals(dev.dmreconciler.plan.Reason.STALE_READ, migrate.reason(), migrate.message());
        assertEquals(1, writesOf("PATCH", path).size(), "no forced apply onto their Job: " + counter.writeLog());
        var theirs = admin.batch().v1().jobs().inNamespace("cr-race").withName("migrate").get();
        assertEquals("theirs:7", theirs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(null, theirs.getMetadata().getLabels().get(dev.dmreconciler.resource.Stamp.MANAGED_BY),
                "their Job carries none of our marks: " + theirs.getMetadata().getLabels());

        ApplyReport next = apply(jobs("made", "cr-race", "busybox:1"), "made"); // plans from what is there now
        assertEquals(Outcome.REFUSED, only(next, "cr-race", "Job", "migrate").outcome(), next.toText());
    }
}
