package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.LiveObjects;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review S11-F13 (probe's reproduction, on the real API server): a create merged into someone else's object and left the
 * reconciler's marks on it (writing stopped before the release; or the times could not tell who made it), its pending
 * entry kept. Then the object leaves git, the natural answer to "not ours" / "cannot tell": it is never deleted. Made by
 * someone else: its marks are given up again and it leaves the inventory. Cannot tell: kept as it is, in the
 * inventory, until a person removes the marks (then dropped) or deletes it.
 */
class MergedCreatePruneIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static final String WITH_FIRST = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: ${sh_port?c}, protocol: TCP}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: first}
            data: {c: d}
            """;
    private static final String WITHOUT_FIRST = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: ${sh_port?c}, protocol: TCP}]
            """;

    private static TestRepo repo(String name) {
        RealApiServer.createDataManagerNamespace(client, name + "-dm");
        return ShopBundle.repo(dir.resolve(name)).write("environments/" + name + ".yaml", """
                applications:
                  shop:
                    values: {sh_home: %s-home}
                    namespaces: [%s-dm]
                """.formatted(name, name)).write("templates/shop/per-namespace.yaml.ftl", WITH_FIRST);
    }

    private static List<String> writesTo(String namespace) {
        return harness.counter.writeLog().stream().filter(w -> w.contains("/namespaces/" + namespace + "/configmaps/first")).toList();
    }

    private static ObjectKey first(DesiredState desired) {
        return desired.objects().stream().map(o -> o.key())
                .filter(k -> k.kind().equals("ConfigMap") && k.name().equals("first")).findFirst().orElseThrow();
    }

    private static ConfigMap first(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("first").get();
    }

    private static Result only(ApplyReport report, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind) && r.change().key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    private static Inventory.Entry entry(String environment, ObjectKey key) {
        Inventory shop = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadEnvironment(environment).get("shop");
        return shop == null ? null : shop.entries().get(key);
    }

    private static ApplyReport blindPass(DesiredState desired, BooleanSupplier mayWrite) {
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .readingFrom(c -> new BlindLiveObjects(LiveObjects.of(c), first(desired)), new ResourceTypes(client), null)
                .run(desired, null, mayWrite, Wanted.NONE);
    }

    /**
     * As a watch cache in {@code run} keeps objects: no creation time, no managed-fields times; read again from the API
     * server wherever it may lag ({@code recheck}).
     */
    record Timeless(LiveObjects api) implements LiveObjects {
        @Override
        public List<GenericKubernetesResource> ours(ResourceDefinitionContext type, String application) {
            return api.ours(type, application).stream().map(Timeless::reduced).toList();
        }

        @Override
        public GenericKubernetesResource get(ResourceDefinitionContext type, ObjectKey key) {
            GenericKubernetesResource object = api.get(type, key);
            return object == null ? null : reduced(object);
        }

        @Override
        public GenericKubernetesResource recheck(ResourceDefinitionContext type, ObjectKey key, String application) {
            GenericKubernetesResource object = api.get(type, key);
            return object != null && object.getMetadata().getLabels() != null
                    && application.equals(object.getMetadata().getLabels().get("dm-reconciler.dev/application")) ? object : null;
        }

        private static GenericKubernetesResource reduced(GenericKubernetesResource object) {
            GenericKubernetesResource copy = SERIALIZATION.clone(object);
            copy.getMetadata().setCreationTimestamp(null);
            if (copy.getMetadata().getManagedFields() != null) {
                copy.getMetadata().getManagedFields().forEach(m -> m.setTime(null));
            }
            return copy;
        }
    }

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void someoneElsesObjectWithOurMarksLeftIsReleasedNotDeletedWhenItLeavesGit() throws InterruptedException {
        someoneElsesObjectLeavesGit("mp", false);
    }

    /** The same, planned from a watch cache's objects (no times): the times are read from the API server. */
    @Test
    void theSameWhenPlannedFromAWatchCache() throws InterruptedException {
        someoneElsesObjectLeavesGit("mw", true);
    }

    private static void someoneElsesObjectLeavesGit(String name, boolean fromACache) throws InterruptedException {
        String namespace = name + "-dm";
        TestRepo repo = repo(name);
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                .addToLabels("team", "data").endMetadata().addToData("theirs", "1").build()).create();
        ConfigMap theirs = first(namespace);
        Instant later = Instant.parse(theirs.getMetadata().getCreationTimestamp()).plusSeconds(1).plusMillis(50);
        while (Instant.now().isBefore(later)) {
            Thread.sleep(50);
        }
        DesiredState desired = ApplyHarness.render(repo, name);
        harness.counter.reset();
        ApplyReport stopped = blindPass(desired, () -> writesTo(namespace).isEmpty()); // stops right after the create
        assertEquals(Outcome.FAILED, only(stopped, "ConfigMap", "first").outcome(), stopped.toText());
        assertEquals("dm-reconciler", first(namespace).getMetadata().getLabels().get("app.kubernetes.io/managed-by"),
                "the premise: our marks on their object");
        assertTrue(entry(name, first(desired)).pending());

        repo.write("templates/shop/per-namespace.yaml.ftl", WITHOUT_FIRST);
        ApplyReport next;
        if (fromACache) {
            DesiredState without = ApplyHarness.render(repo, name);
            harness.counter.reset();
            next = new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                    .readingFrom(c -> new Timeless(LiveObjects.of(c)), new ResourceTypes(client), null)
                    .run(without, null, () -> true, Wanted.NONE);
        } else {
            next = harness.apply(repo, name);
        }
        Result kept = only(next, "ConfigMap", "first");
        assertEquals(Outcome.KEPT, kept.outcome(), next.toText());
        assertEquals(Reason.NO_LONGER_OURS, kept.reason(), next.toText());
        assertTrue(kept.message().contains("not deleted: made by someone else") && kept.message().contains("removed again"),
                kept.message());
        assertTrue(writesTo(namespace).stream().noneMatch(w -> w.startsWith("DELETE")), harness.counter.writeLog().toString());
        assertEquals(1, writesTo(namespace).size(), "the release only: " + harness.counter.writeLog());
        ConfigMap after = first(namespace);
        assertNotNull(after, "someone else's object is never deleted");
        assertEquals(theirs.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(Map.of("theirs", "1"), after.getData());
        assertEquals(Map.of("team", "data"), after.getMetadata().getLabels(), "the reconciler's marks removed");
        assertTrue(after.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager)
                .noneMatch("dm-reconciler"::equals));
        assertNull(entry(name, first(desired)), "no longer in the inventory");
        assertTrue(next.succeeded(), next.toText());

        ApplyReport third = harness.apply(repo, name);
        assertEquals(List.of(), writesTo(namespace));
        assertTrue(third.results().stream().noneMatch(r -> r.change().key().name().equals("first")), third.toText());
    }

    @Test
    void anObjectWhoseMakerCannotBeToldIsKeptWhenItLeavesGitUntilAPersonRemovesTheMarks() {
        for (int attempt = 1; ; attempt++) {
            String name = "mu" + attempt;
            String namespace = name + "-dm";
            TestRepo repo = repo(name);
            DesiredState desired = ApplyHarness.render(repo, name);
            boolean[] made = {false};
            harness.counter.reset();
            ApplyReport report = blindPass(desired, () -> {
                if (!made[0] && !harness.counter.writeLog().stream().filter(w -> w.contains("/configmaps/home-config")).toList().isEmpty()) {
                    made[0] = true;
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                            .withName("first").addToLabels("team", "data").endMetadata().addToData("theirs", "1").build()).create();
                }
                return true;
            });
            if (only(report, "ConfigMap", "first").reason() != Reason.MAKER_UNKNOWN) {
                assertTrue(attempt < 5, "no create in the creation second after " + attempt + " attempts: " + report.toText());
                continue; // crossed a second: refused and released
            }
            String uid = first(namespace).getMetadata().getUid();
            repo.write("templates/shop/per-namespace.yaml.ftl", WITHOUT_FIRST);
            for (int pass = 1; pass <= 2; pass++) {
                ApplyReport next = harness.apply(repo, name);
                Result kept = only(next, "ConfigMap", "first");
                assertEquals(Outcome.KEPT, kept.outcome(), next.toText());
                assertEquals(Reason.MAKER_UNKNOWN, kept.reason(), next.toText());
                assertTrue(kept.message().contains("not deleted: cannot tell who made it"), kept.message());
                assertEquals(List.of(), writesTo(namespace), "nothing written to it: " + harness.counter.writeLog());
                assertEquals(uid, first(namespace).getMetadata().getUid());
                assertEquals(Map.of("theirs", "1", "c", "d"), first(namespace).getData());
                assertTrue(entry(name, first(desired)).pending(), "stays in the inventory, pending");
            }
            // a person checks it: theirs; they remove the reconciler's marks
            client.configMaps().inNamespace(namespace).withName("first").patch(new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE).build(), "{\"metadata\":{\"labels\":{"
                    + "\"app.kubernetes.io/managed-by\":null,\"dm-reconciler.dev/application\":null}}}");
            ApplyReport released = harness.apply(repo, name);
            assertEquals(List.of(), writesTo(namespace), harness.counter.writeLog().toString());
            assertNull(entry(name, first(desired)), "dropped: " + released.toText());
            assertEquals(uid, first(namespace).getMetadata().getUid());
            return;
        }
    }
}
