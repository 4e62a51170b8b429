package dev.dmreconciler.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.LiveObjects;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Planner;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch cache on a real API server: it answers without a request only once current, it never reports an
 * object absent without asking the API server, and the planner does not drop an inventory entry (so never
 * forgets to prune it) because a lagging cache did not list the object.
 */
class WatchCacheIT {

    private static RealApiServer server;
    private static KubernetesClient admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
        RealApiServer.createDataManagerNamespace(admin, "dm-w1");
        RealApiServer.createDataManagerNamespace(admin, "dm-w2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String CONFIG = "jupyternotebooks.squonk.it";

    private DesiredState render(TestRepo repo, String namespaces) {
        repo.write("environments/cached.yaml", """
                cluster: it
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 7.0.0, jo_namespace: dm-w-operator}
                    namespaces:
                %s""".formatted(namespaces));
        return Renderer.renderNamed(repo.open(), "cached");
    }

    @Test
    void answersFromTheCacheOnlyWhenCurrentAndNeverTakesAbsenceFromIt() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        DesiredState both = render(repo, "      dm-w1: {jo_cost_cost: '1.00'}\n      dm-w2: {jo_cost_cost: '1.00'}\n");
        assertTrue(new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(both, null).succeeded());

        RequestCounter counter = new RequestCounter();
        try (KubernetesClient client = server.client(counter);
             WatchCache cache = new WatchCache(client, "dm-reconciler", (key, object) -> { })) {
            ResourceTypes types = new ResourceTypes(client);
            ResourceDefinitionContext configMaps = types.require("v1", "ConfigMap");
            LiveObjects live = cache.live(client);

            counter.reset();
            Set<String> first = names(live.ours(configMaps, "jupyter-operator"));
            assertTrue(counter.requestLog().stream().anyMatch(r -> r.startsWith("GET /api/v1/configmaps?labelSelector=")),
                    "not listed yet: read from the API server " + counter.requestLog());
            assertEquals(Set.of("dm-w1/" + CONFIG, "dm-w2/" + CONFIG), first);

            long started = System.nanoTime();
            while (!cache.current(configMaps)) {
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(), "the informer lists and watches");
                Thread.sleep(20);
            }
            counter.reset();
            assertEquals(first, names(live.ours(configMaps, "jupyter-operator")));
            assertEquals(Set.of(), names(live.ours(configMaps, "another-application")));
            assertNotNull(live.get(configMaps, new ObjectKey("", "ConfigMap", "dm-w1", CONFIG)));
            assertEquals(0, counter.snapshot().values().stream().mapToLong(Long::longValue).sum(),
                    "current: served from the cache " + counter.requestLog());

            assertNull(live.get(configMaps, new ObjectKey("", "ConfigMap", "dm-w1", "not-there")));
            assertEquals(List.of("GET /api/v1/namespaces/dm-w1/configmaps/not-there"), counter.requestLog(),
                    "absent from the cache proves nothing: asked the API server");

            counter.reset();
            ObjectKey present = new ObjectKey("", "ConfigMap", "dm-w2", CONFIG);
            ObjectKey absent = new ObjectKey("", "ConfigMap", "dm-w2", "not-there-either");
            assertEquals(Set.of(present), live.existing(configMaps, List.of(present, absent)).keySet());
            assertEquals(List.of("GET /api/v1/namespaces/dm-w2/configmaps/not-there-either"), counter.requestLog(),
                    "only the name the cache does not show is asked for");

            GenericKubernetesResource cached = live.ours(configMaps, "jupyter-operator").get(0);
            assertNull(cached.getAdditionalProperties().get("data"), "metadata only");
            assertNotNull(cached.getMetadata().getManagedFields(), "with managed fields (the fingerprint)");
        }
    }

    @Test
    void theInventoryIsNotForgottenBecauseALaggingCacheMissedAnObject() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        DesiredState both = render(repo, "      dm-w1: {jo_cost_cost: '2.00'}\n      dm-w2: {jo_cost_cost: '2.00'}\n");
        assertTrue(new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(both, null).succeeded());
        DesiredState one = render(repo, "      dm-w1: {jo_cost_cost: '2.00'}\n");

        try (WatchCache cache = new WatchCache(admin, "dm-reconciler", (key, object) -> { })) {
            LiveObjects current = cache.live(admin);
            LiveObjects lagging = new LiveObjects() { // a cache that has not seen dm-w2's objects yet
                @Override
                public List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application) {
                    return current.ours(type, application).stream()
                            .filter(o -> !"dm-w2".equals(o.getMetadata().getNamespace())).toList();
                }

                @Override
                public GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key) {
                    return current.get(type, key);
                }

                @Override
                public GenericKubernetesResource recheck(ResourceDefinitionContext type, ObjectKey key, String application) {
                    return current.recheck(type, key, application);
                }
            };
            Plan plan = planner(lagging).plan(one, null, Wanted.NONE);
            Change removed = plan.changes().stream().filter(c -> c.key().namespace().equals("dm-w2")
                    && c.key().name().equals(CONFIG)).findFirst().orElseThrow(() -> new AssertionError(plan.changes()));
            assertEquals(Outcome.DELETED, removed.action(), "re-read from the API server, found, and pruned");
            assertNotNull(removed.live());
        }
    }

    @Test
    void whileTheWatchIsBrokenNothingIsAnsweredFromTheCacheAndAfterwardsItCatchesUp() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        DesiredState both = render(repo, "      dm-w1: {jo_cost_cost: '3.00'}\n      dm-w2: {jo_cost_cost: '3.00'}\n");
        assertTrue(new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(both, null).succeeded());
        java.net.URI api = java.net.URI.create(admin.getConfiguration().getMasterUrl());
        RequestCounter counter = new RequestCounter();
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(server.kubeconfigYaml());
        try (TcpProxy proxy = new TcpProxy(api.getHost(), api.getPort())) {
            config.setMasterUrl("https://127.0.0.1:" + proxy.port() + "/");
            try (KubernetesClient client = dev.dmreconciler.kube.KubeConnector.connect(config, counter, 0);
                 WatchCache cache = new WatchCache(client, "dm-reconciler", (key, object) -> { })) {
                ResourceDefinitionContext configMaps = new ResourceTypes(client).require("v1", "ConfigMap");
                LiveObjects live = cache.live(client);
                live.ours(configMaps, "jupyter-operator");
                awaitCurrent(cache, configMaps, true);

                proxy.cut(); // the network to the API server goes away: the watch breaks
                awaitCurrent(cache, configMaps, false);
                counter.reset();
                org.junit.jupiter.api.Assertions.assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                        () -> live.ours(configMaps, "jupyter-operator"),
                        "not answered from a cache whose watch is broken: read from the API server, which fails");
                assertTrue(counter.reads() >= 1, counter.requestLog().toString());

                admin.configMaps().inNamespace("dm-w1").withName(CONFIG).delete(); // missed while cut
                proxy.restore();
                awaitCurrent(cache, configMaps, true);
                long started = System.nanoTime();
                while (names(live.ours(configMaps, "jupyter-operator")).contains("dm-w1/" + CONFIG)) {
                    assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(),
                            "the delete made during the outage reaches the cache");
                    Thread.sleep(50);
                }
                assertTrue(names(live.ours(configMaps, "jupyter-operator")).contains("dm-w2/" + CONFIG));
            }
        }
    }

    /**
     * Issue 12's cache must keep issue 10's guarantee (nothing is taken over without an opt-in) when its watch breaks
     * silently: a connection that stops delivering without closing (here a proxy that stalls) leaves the informer
     * "watching" and current. A managed ConfigMap is deleted and made again by hand without the reconciler's marks;
     * the cache still shows the old one as ours. A changed commit then plans from the cache (the content changed:
     * configured), and before the fix force-applied the hand-made object, taking it over without --adopt. Now the
     * write is bound to the UID the cache showed: the API server refuses it, nothing is written (no read was added
     * for it), and once the type is distrusted the next pass reads the API server and refuses the object, naming
     * its manager, as the one-shot path does.
     */
    @Test
    void aSilentlyBrokenWatchNeverMakesAnObjectMadeAgainByHandOurs() throws Exception {
        RealApiServer.createDataManagerNamespace(admin, "dm-w3");
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        assertTrue(new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .run(render(repo, "silent", "dm-w3", "5.00"), null).succeeded());
        ObjectKey key = new ObjectKey("", "ConfigMap", "dm-w3", CONFIG);
        java.net.URI api = java.net.URI.create(admin.getConfiguration().getMasterUrl());
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(server.kubeconfigYaml());
        try (TcpProxy proxy = new TcpProxy(api.getHost(), api.getPort())) {
            config.setMasterUrl("https://127.0.0.1:" + proxy.port() + "/");
            try (KubernetesClient watching = dev.dmreconciler.kube.KubeConnector.connect(config, new RequestCounter(), 0);
                 WatchCache cache = new WatchCache(watching, "dm-reconciler", (k, object) -> { })) {
                ResourceDefinitionContext configMaps = new ResourceTypes(admin).require("v1", "ConfigMap");
                cache.live(admin).ours(configMaps, "jupyter-operator"); // starts the informer
                awaitCurrent(cache, configMaps, true);
                String planned = cache.cached(key).getMetadata().getUid();

                proxy.stall(); // the watch receives nothing more, and nothing tells the informer
                admin.configMaps().inNamespace("dm-w3").withName(CONFIG).delete();
                long started = System.nanoTime();
                while (admin.configMaps().inNamespace("dm-w3").withName(CONFIG).get() != null) {
                    assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(), "deleted");
                    Thread.sleep(20);
                }
                admin.configMaps().inNamespace("dm-w3").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata().withName(CONFIG).endMetadata().addToData("dm-app.config", "made by hand").build())
                        .create();
                Thread.sleep(1000);
                assertTrue(cache.current(configMaps), "the informer does not notice");
                assertEquals(planned, cache.cached(key).getMetadata().getUid(), "the cache shows the deleted object, as ours");

                RequestCounter counter = new RequestCounter();
                try (KubernetesClient actor = server.client(counter)) {
                    dev.dmreconciler.apply.ApplyReport report = cachedPass(actor, cache, render(repo, "silent", "dm-w3", "6.00"));
                    dev.dmreconciler.apply.Result result = resultFor(report, key);
                    System.out.println("[measure] changed commit planned from the silently broken cache: " + result.outcome()
                            + " " + result.reason() + "; requests " + counter.snapshot() + " " + counter.requestLog());
                    assertEquals(Outcome.FAILED, result.outcome(), result.message());
                    assertEquals(dev.dmreconciler.plan.Reason.STALE_READ, result.reason(), result.message());
                    assertEquals(0, counter.requestLog().stream().filter(r -> r.startsWith("GET ")
                            && r.contains("/namespaces/dm-w3/configmaps/" + CONFIG)).count(),
                            "no read was added for it: the write itself is the check " + counter.requestLog());
                }
                assertMadeByHand();

                cache.distrust(key); // what run does after such a result: its type is listed again
                assertTrue(!cache.current(configMaps), "distrusted: read from the API server until listed again");
                dev.dmreconciler.apply.Result again = resultFor(cachedPass(admin, cache, render(repo, "silent", "dm-w3", "6.00")), key);
                assertEquals(Outcome.REFUSED, again.outcome(), again.message());
                assertTrue(again.message().contains("made again by someone else") && again.message().contains("--adopt"),
                        again.message());
                assertMadeByHand();
            }
        }
        dev.dmreconciler.apply.Result oneShot = resultFor(new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE,
                "dm-reconciler").run(render(repo, "silent", "dm-w3", "6.00"), null), key);
        assertEquals(Outcome.REFUSED, oneShot.outcome(), "the one-shot path refuses it too: " + oneShot.message());
        assertMadeByHand();
    }

    private static dev.dmreconciler.apply.ApplyReport cachedPass(KubernetesClient actor, WatchCache cache, DesiredState desired) {
        return new ApplyPass(actor, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .readingFrom(cache::live, new ResourceTypes(actor), null).run(desired, null);
    }

    private static dev.dmreconciler.apply.Result resultFor(dev.dmreconciler.apply.ApplyReport report, ObjectKey key) {
        return report.results().stream().filter(r -> r.change().key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(report.results()));
    }

    private static void assertMadeByHand() {
        io.fabric8.kubernetes.api.model.ConfigMap now = admin.configMaps().inNamespace("dm-w3").withName(CONFIG).get();
        assertEquals("made by hand", now.getData().get("dm-app.config"), "not written");
        assertTrue(now.getMetadata().getLabels() == null || now.getMetadata().getLabels().isEmpty(), "not taken over: "
                + now.getMetadata().getLabels());
    }

    private DesiredState render(TestRepo repo, String environment, String namespace, String cost) {
        repo.write("environments/" + environment + ".yaml", """
                cluster: it
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 7.0.0, jo_namespace: %s-operator}
                    namespaces:
                      %s: {jo_cost_cost: '%s'}
                """.formatted(namespace, namespace, cost));
        return Renderer.renderNamed(repo.open(), environment);
    }

    private static void awaitCurrent(WatchCache cache, ResourceDefinitionContext type, boolean current) throws InterruptedException {
        long started = System.nanoTime();
        while (cache.current(type) != current) {
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(60).toNanos(),
                    "the cache becomes " + (current ? "current" : "not current"));
            Thread.sleep(20);
        }
    }

    private Planner planner(LiveObjects live) {
        return new Planner(live, new ResourceTypes(admin), InventoryStore.forApply(admin, "dm-reconciler", "dm-reconciler"),
                "dm-reconciler", PrunePolicy.SAFE, false);
    }

    private static Set<String> names(List<GenericKubernetesResource> objects) {
        return objects.stream().map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .collect(Collectors.toSet());
    }
}
