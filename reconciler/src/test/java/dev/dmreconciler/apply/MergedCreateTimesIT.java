package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who made an object a create wrote to, told by the API server's times ({@code Decisions.madeBy}), on the real API
 * server: the reconciler's own object, touched by a controller, is never stripped (a create retried after its answer
 * was lost, planned blind to the object); someone else's object whose release did not happen (writing stopped) is
 * refused and released by the next pass, not taken over; and when the times cannot tell (both in the creation
 * second) nothing is removed and no later pass takes it over. Reviewer's reproductions of session 10 (F1, F2).
 */
class MergedCreateTimesIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static TestRepo repo(String name) {
        RealApiServer.createDataManagerNamespace(client, name + "-dm");
        return ShopBundle.repo(dir.resolve(name)).write("environments/" + name + ".yaml", """
                applications:
                  shop:
                    values: {sh_home: %s-home}
                    namespaces: [%s-dm]
                """.formatted(name, name));
    }

    private static ObjectKey first(DesiredState desired) {
        return desired.objects().stream().map(o -> o.key())
                .filter(k -> k.kind().equals("ConfigMap") && k.name().equals("first")).findFirst().orElseThrow();
    }

    private static ApplyReport blindPass(DesiredState desired, BooleanSupplier mayWrite) {
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .readingFrom(c -> new BlindLiveObjects(LiveObjects.of(c), first(desired)), new ResourceTypes(client), null)
                .run(desired, null, mayWrite, Wanted.NONE);
    }

    private static Result only(ApplyReport report, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind) && r.change().key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    private static ConfigMap first(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("first").get();
    }

    private static List<String> writesTo(String namespace) {
        return harness.counter.writeLog().stream().filter(w -> w.contains("/namespaces/" + namespace + "/configmaps/first")).toList();
    }

    /** Until the wall clock (the API server's: same machine) is a whole second past that RFC 3339 time. */
    private static void pastTheSecondOf(String time) throws InterruptedException {
        Instant after = Instant.parse(time).plusSeconds(1).plusMillis(50);
        while (Instant.now().isBefore(after)) {
            Thread.sleep(50);
        }
    }

    private static String time(ConfigMap object, String manager) {
        return object.getMetadata().getManagedFields().stream().filter(m -> manager.equals(m.getManager())
                && (m.getSubresource() == null || m.getSubresource().isEmpty())).map(ManagedFieldsEntry::getTime)
                .findFirst().orElseThrow(() -> new AssertionError(manager + " not in " + object.getMetadata().getManagedFields()));
    }

    private static Inventory.Entry entry(String environment, ObjectKey key) {
        Inventory shop = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadEnvironment(environment).get("shop");
        return shop == null ? null : shop.entries().get(key);
    }

    /** F2: pass 1 creates; a controller writes the object's main resource; a create planned blind meets it. */
    @Test
    void ownObjectTouchedByAControllerIsOursAndNotStripped() throws InterruptedException {
        TestRepo repo = repo("own");
        assertEquals(Outcome.CREATED, only(harness.apply(repo, "own"), "ConfigMap", "first").outcome());
        ConfigMap made = first("own-dm");
        pastTheSecondOf(made.getMetadata().getCreationTimestamp());
        // as the Deployment controller writes its revision annotation (an Update of the main resource)
        client.configMaps().inNamespace("own-dm").withName("first").patch(new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).withFieldManager("kube-controller-manager").build(),
                "{\"metadata\":{\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"}}}");

        DesiredState desired = ApplyHarness.render(repo, "own");
        harness.counter.reset();
        ApplyReport retried = blindPass(desired, () -> true);
        Result result = only(retried, "ConfigMap", "first");
        assertEquals(Outcome.CREATED, result.outcome(), "ours since its creation: " + retried.toText());
        assertEquals(1, writesTo("own-dm").size(), "the create only, no release: " + harness.counter.writeLog());

        ConfigMap after = first("own-dm");
        assertEquals(made.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(Map.of("c", "d"), after.getData(), "the reconciler's data stays");
        assertEquals("dm-reconciler", after.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("1", after.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));

        ApplyReport next = harness.apply(repo, "own");
        Result again = only(next, "ConfigMap", "first");
        assertEquals(Outcome.UNCHANGED, again.outcome(), next.toText());
        assertEquals(List.of(), writesTo("own-dm"));
        assertEquals(Map.of("c", "d"), first("own-dm").getData());
    }

    /**
     * F1: someone else made the object (a second before); the blind create merges into it and writing stops before
     * the release. The next pass (pending entry, marks on it) refuses it and gives the fields up, not takes it over.
     */
    @Test
    void releaseNotDoneThenTheNextPassRefusesItAndReleasesIt() throws InterruptedException {
        TestRepo repo = repo("stop");
        client.configMaps().inNamespace("stop-dm").resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                .addToLabels("team", "data").endMetadata().addToData("theirs", "1").build()).create();
        ConfigMap theirs = first("stop-dm");
        pastTheSecondOf(theirs.getMetadata().getCreationTimestamp());
        DesiredState desired = ApplyHarness.render(repo, "stop");
        harness.counter.reset();
        // writing stops (Lease lost, SIGTERM) right after the create reached the object
        ApplyReport stopped = blindPass(desired, () -> writesTo("stop-dm").isEmpty());
        Result merged = only(stopped, "ConfigMap", "first");
        assertEquals(Outcome.FAILED, merged.outcome(), stopped.toText());
        assertTrue(merged.message().contains("writing stopped before they could be removed"), merged.message());
        assertEquals("dm-reconciler", first("stop-dm").getMetadata().getLabels().get("app.kubernetes.io/managed-by"),
                "the reproduction's premise: the marks are on their object");
        Inventory.Entry pending = entry("stop", first(desired));
        assertNotNull(pending, "recorded before the write");
        assertTrue(pending.pending());
        assertEquals("true", pending.extra().get(Inventory.CREATE), "recorded as a create's: " + pending);

        ApplyReport next = harness.apply(repo, "stop");
        Result refused = only(next, "ConfigMap", "first");
        assertEquals(Outcome.REFUSED, refused.outcome(), next.toText());
        assertEquals(Reason.NOT_OURS, refused.reason());
        assertTrue(refused.message().contains("a create of a pass that did not finish merged into it"), refused.message());
        assertTrue(refused.message().contains("were removed again"), refused.message());
        assertEquals(1, writesTo("stop-dm").size(), "the release only: " + harness.counter.writeLog());
        ConfigMap after = first("stop-dm");
        assertEquals(theirs.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(Map.of("theirs", "1"), after.getData(), "our data key removed again, theirs kept");
        assertEquals(Map.of("team", "data"), after.getMetadata().getLabels(), "the reconciler's marks removed");
        assertTrue(after.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager)
                .noneMatch("dm-reconciler"::equals), String.valueOf(after.getMetadata().getManagedFields()));
        assertEquals(null, entry("stop", first(desired)), "never ours: the pending entry goes");

        ApplyReport third = harness.apply(repo, "stop");
        assertEquals(Outcome.REFUSED, only(third, "ConfigMap", "first").outcome(), third.toText());
        assertTrue(only(third, "ConfigMap", "first").message().contains("exists and is not managed by dm-reconciler"));
        assertEquals(List.of(), writesTo("stop-dm"), "the pass after does not touch it");
    }

    /**
     * Someone else makes the object in the very second the blind create writes to it: the times cannot tell who made
     * it. Nothing is removed, the pending entry names the object, and the next pass neither takes it over nor strips it.
     */
    @Test
    void whenTheTimesCannotTellNothingIsRemovedAndTheNextPassDoesNotTakeItOver() {
        for (int attempt = 1; ; attempt++) {
            String name = "same" + attempt;
            TestRepo repo = repo(name);
            String namespace = name + "-dm";
            DesiredState desired = ApplyHarness.render(repo, name);
            boolean[] made = {false};
            // the other creator writes at the last moment: when the pass is about to write (record its pending entries)
            ApplyReport report = blindPass(desired, () -> {
                if (!made[0]) {
                    made[0] = true;
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                            .withName("first").addToLabels("team", "data").endMetadata().addToData("theirs", "1").build()).create();
                }
                return true;
            });
            ConfigMap after = first(namespace);
            // refused and released (the create came a second later): no entry of ours left to compare
            boolean sameSecond = only(report, "ConfigMap", "first").outcome() != Outcome.REFUSED
                    && time(after, "dm-reconciler").equals(after.getMetadata().getCreationTimestamp());
            if (!sameSecond) {
                // the pass crossed a second boundary: the times tell (refused, released); try again for the row wanted
                assertEquals(Outcome.REFUSED, only(report, "ConfigMap", "first").outcome(), report.toText());
                assertTrue(attempt < 4, "no create in the creation second after " + attempt + " attempts");
                continue;
            }
            Result unknown = only(report, "ConfigMap", "first");
            assertEquals(Outcome.FAILED, unknown.outcome(), report.toText());
            assertEquals(Reason.MAKER_UNKNOWN, unknown.reason());
            assertTrue(unknown.message().contains("cannot tell who made it") && unknown.message().contains(
                    after.getMetadata().getUid()) && unknown.message().contains("fabric8-kubernetes-client"), unknown.message());
            assertEquals(Map.of("theirs", "1", "c", "d"), after.getData(), "nothing removed");
            Inventory.Entry pending = entry(name, first(desired));
            assertNotNull(pending);
            assertTrue(pending.pending());
            assertEquals(after.getMetadata().getUid(), pending.extra().get(Inventory.MERGED_INTO));

            ApplyReport next = harness.apply(repo, name);
            Result still = only(next, "ConfigMap", "first");
            assertEquals(Outcome.FAILED, still.outcome(), next.toText());
            assertEquals(Reason.MAKER_UNKNOWN, still.reason());
            assertTrue(still.message().contains("check it and use --adopt or remove the marks"), still.message());
            assertEquals(List.of(), writesTo(namespace), "not taken over, not stripped: " + harness.counter.writeLog());
            assertEquals(Map.of("theirs", "1", "c", "d"), first(namespace).getData());
            assertFalse(next.succeeded());
            return;
        }
    }
}
