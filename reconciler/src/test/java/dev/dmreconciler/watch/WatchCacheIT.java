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
