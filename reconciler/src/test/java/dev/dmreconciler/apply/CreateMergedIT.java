package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create meets an object someone else made between the plan's read and the apply. Server-side apply has no
 * create-only precondition, so an unforced apply whose fields do not conflict merges into that object. The moment is
 * made deterministic by a plan that reads through a {@link LiveObjects} blind to that one object (as a read a moment
 * before the other creator's write would be): the object is reported refused, not created, the marks the apply wrote
 * are removed again (the object is as its owner made it), it is not recorded in the inventory, and the next pass
 * (reading the API server) refuses it without writing. The other objects are created as always. Its creation is a
 * second before the create's write: the times say who made it ({@code Decisions.madeBy}).
 */
class CreateMergedIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static Result only(ApplyReport report, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind) && r.change().key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    @Test
    void aCreateThatMergedIntoSomeoneElsesObjectIsRefusedItsMarksRemovedAndNotInventoried() throws InterruptedException {
        RealApiServer.createDataManagerNamespace(client, "merge-dm");
        // made by someone else "in the instant": no field in common with ours, so the unforced create does not conflict
        client.configMaps().inNamespace("merge-dm").resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                .addToLabels("team", "data").endMetadata().addToData("theirs", "1").build()).create();
        ConfigMap before = client.configMaps().inNamespace("merge-dm").withName("first").get();
        // a second later than its creation, so the API server's times (to the second) say who made it
        // (the same second: MergedCreateTimesIT)
        Instant later = Instant.parse(before.getMetadata().getCreationTimestamp()).plusSeconds(1).plusMillis(50);
        while (Instant.now().isBefore(later)) {
            Thread.sleep(50);
        }
        TestRepo repo = ShopBundle.repo(dir.resolve("merge")).write("environments/merge.yaml", """
                applications:
                  shop:
                    values: {sh_home: merge-home}
                    namespaces: [merge-dm]
                """);
        DesiredState desired = ApplyHarness.render(repo, "merge");
        ObjectKey first = desired.objects().stream().map(o -> o.key())
                .filter(k -> k.kind().equals("ConfigMap") && k.name().equals("first")).findFirst().orElseThrow();

        harness.counter.reset();
        ApplyReport report = new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .readingFrom(c -> new BlindLiveObjects(LiveObjects.of(c), first), new ResourceTypes(client), null)
                .run(desired, null, () -> true, Wanted.NONE);

        Result merged = only(report, "ConfigMap", "first");
        assertEquals(Outcome.REFUSED, merged.outcome(), report.toText());
        assertEquals(Reason.NOT_OURS, merged.reason());
        assertTrue(merged.message().contains("made by someone else since this pass read it"), merged.message());
        assertTrue(merged.message().contains("marks) were removed again"), merged.message());
        assertFalse(report.succeeded(), "a refused object is not converged (exit 3)");
        assertEquals(Outcome.CREATED, only(report, "Service", "web").outcome(), "the normal create path: " + report.toText());
        assertEquals(Outcome.CREATED, only(report, "ConfigMap", "home-config").outcome(), report.toText());
        long writesToIt = harness.counter.writeLog().stream()
                .filter(w -> w.contains("/namespaces/merge-dm/configmaps/first")).count();
        assertEquals(2, writesToIt, "the create and the release of its fields: " + harness.counter.writeLog());

        ConfigMap after = client.configMaps().inNamespace("merge-dm").withName("first").get();
        assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(Map.of("theirs", "1"), after.getData(), "our data key removed again, theirs kept");
        assertEquals(Map.of("team", "data"), after.getMetadata().getLabels(), "the reconciler's marks removed");
        assertTrue(after.getMetadata().getAnnotations() == null || after.getMetadata().getAnnotations().keySet().stream()
                .noneMatch(a -> a.startsWith("dm-reconciler.dev/")), String.valueOf(after.getMetadata().getAnnotations()));
        assertTrue(after.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager)
                .noneMatch("dm-reconciler"::equals), "no field left to the reconciler: " + after.getMetadata().getManagedFields());

        Map<String, Inventory> inventories = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadEnvironment("merge");
        Inventory shop = inventories.get("shop");
        assertNotNull(shop, String.valueOf(inventories));
        assertFalse(shop.entries().containsKey(first), "someone else's object is not recorded as ours: " + shop.entries());
        assertTrue(shop.entries().keySet().stream().anyMatch(k -> k.kind().equals("Service") && k.name().equals("web")),
                "the objects it created are: " + shop.entries());

        ApplyReport next = harness.apply(repo, "merge");
        Result refused = only(next, "ConfigMap", "first");
        assertEquals(Outcome.REFUSED, refused.outcome(), next.toText());
        assertTrue(refused.message().contains("exists and is not managed by dm-reconciler"), refused.message());
        assertEquals(List.of(), harness.counter.writeLog().stream()
                .filter(w -> w.contains("/namespaces/merge-dm/configmaps/first")).toList(), "the next pass does not touch it");
        assertNull(client.configMaps().inNamespace("merge-dm").withName("first").get().getMetadata().getLabels()
                .get("app.kubernetes.io/managed-by"));
    }
}
