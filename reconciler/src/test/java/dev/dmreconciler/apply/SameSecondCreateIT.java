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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create and another manager's write within the object's creation second, where the API server's times (to the
 * second) cannot say who made the object ({@code Decisions.madeBy}), on the real API server (1.20.2, whose own
 * {@code kube-apiserver} writes a new CRD's status as an Update of the main resource within milliseconds):
 * <ul>
 *   <li>F4: the reconciler's own object, touched by the control plane in its creation second, met by a second create
 *   (another environment's pass sharing the operator-scope CRD, or a create retried after a lost answer): ours, not
 *   failed for ever;</li>
 *   <li>F4: someone else's object a create merged into in its creation second: failed, nothing removed, until a person
 *   acts: when their fields are gone it is ours by managed fields alone, when it is deleted it is created again, when
 *   they remove the reconciler's marks it is theirs (refused) — never taken over without --adopt;</li>
 *   <li>the residual of F1: the same merge in a pass stopped before its inventory was saved (Lease lost, SIGTERM): the
 *   next pass does not apply it again; while the reconciler's own create of a pass stopped the same way is.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SameSecondCreateIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static final String CRD = "widgets.example.com";

    /** A repository whose environments each have a Data Manager namespace; all share the home namespace and the CRD. */
    private static TestRepo repo(String name, String... environments) {
        TestRepo repo = ShopBundle.repo(dir.resolve(name));
        for (String environment : environments) {
            RealApiServer.createDataManagerNamespace(client, environment + "-dm");
            repo = repo.write("environments/" + environment + ".yaml", """
                    applications:
                      shop:
                        values: {sh_home: %s-home}
                        namespaces: [%s-dm]
                    """.formatted(name, environment));
        }
        return repo;
    }

    private static ObjectKey key(DesiredState desired, String kind, String name) {
        return desired.objects().stream().map(o -> o.key()).filter(k -> k.kind().equals(kind) && k.name().equals(name))
                .findFirst().orElseThrow();
    }

    private static ApplyReport blindPass(DesiredState desired, ObjectKey hidden, BooleanSupplier mayWrite) {
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .readingFrom(c -> new BlindLiveObjects(LiveObjects.of(c), hidden), new ResourceTypes(client), null)
                .run(desired, null, mayWrite, Wanted.NONE);
    }

    private static Result only(ApplyReport report, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind) && r.change().key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    private static ConfigMap first(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("first").get();
    }

    private static GenericKubernetesResource crd() {
        return client.genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition").withName(CRD).get();
    }

    private static List<String> writesTo(String path) {
        return harness.counter.writeLog().stream().filter(w -> w.contains(path)).toList();
    }

    private static String time(HasMetadata object, String manager) {
        return object.getMetadata().getManagedFields().stream().filter(m -> manager.equals(m.getManager())
                && (m.getSubresource() == null || m.getSubresource().isEmpty())).map(ManagedFieldsEntry::getTime)
                .findFirst().orElseThrow(() -> new AssertionError(manager + " not in " + object.getMetadata().getManagedFields()));
    }

    private static boolean sameSecond(HasMetadata object, String... managers) {
        for (String manager : managers) {
            if (!time(object, manager).equals(object.getMetadata().getCreationTimestamp())) {
                return false;
            }
        }
        return true;
    }

    /** Until the wall clock (the API server's: same machine) is early in a second, so what follows fits in it. */
    private static void startOfASecond() throws InterruptedException {
        while (Instant.now().getNano() > 200_000_000) {
            Thread.sleep(5);
        }
    }

    private static Inventory.Entry entry(String environment, ObjectKey key) {
        Inventory shop = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadEnvironment(environment).get("shop");
        return shop == null ? null : shop.entries().get(key);
    }

    /**
     * F4, as two environments of one cluster passing at once in {@code run}: both plan a create of the shared CRD
     * (environment b's plan is made blind to it, as one read a moment before a's create would be); a's create makes
     * it and the API server writes its status in the same second; b's create (the same body, the same field manager:
     * it changes nothing) sees that entry. The object is the reconciler's own: b records it, and neither fails.
     */
    @Test
    @Order(1)
    void twoEnvironmentsCreatingTheSharedCrdAtOnceBothKeepIt() throws InterruptedException {
        assertNull(crd(), "this test runs first: the CRD does not exist yet");
        TestRepo repo = repo("two", "two-a", "two-b");
        DesiredState b = ApplyHarness.render(repo, "two-b");
        GenericKubernetesResource made;
        for (int attempt = 1; ; attempt++) {
            startOfASecond();
            ApplyReport a = harness.apply(repo, "two-a");
            assertEquals(Outcome.CREATED, only(a, "CustomResourceDefinition", CRD).outcome(), a.toText());
            made = crd();
            if (sameSecond(made, "dm-reconciler", "kube-apiserver")) {
                break; // the premise: the API server wrote the CRD's status in its creation second
            }
            assertTrue(attempt < 4, "no status write in the creation second after " + attempt + " attempts: "
                    + made.getMetadata().getManagedFields());
            client.genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition").withName(CRD).delete();
            waitUntil(() -> crd() == null);
        }

        harness.counter.reset();
        ApplyReport concurrent = blindPass(b, key(b, "CustomResourceDefinition", CRD), () -> true);
        Result result = only(concurrent, "CustomResourceDefinition", CRD);
        assertEquals(Outcome.CREATED, result.outcome(), "the reconciler's own CRD: " + concurrent.toText());
        assertEquals(made.getMetadata().getUid(), crd().getMetadata().getUid());
        Inventory.Entry recorded = entry("two-b", key(b, "CustomResourceDefinition", CRD));
        assertNotNull(recorded);
        assertFalse(recorded.pending(), "recorded as applied: " + recorded);

        ApplyReport next = harness.apply(repo, "two-b");
        assertEquals(Outcome.UNCHANGED, only(next, "CustomResourceDefinition", CRD).outcome(), next.toText());
        assertTrue(next.succeeded(), next.toText());
        assertEquals(List.of(), harness.counter.writeLog(), "an unchanged pass writes nothing");
    }

    /**
     * The reconciler's own create in a pass stopped right after it (SIGTERM, Lease lost), the API server writing the
     * CRD's status in its creation second: the next pass applies it again (its pending entry names nothing; the
     * control plane's write is no maker's). Real, nothing simulated but the stop.
     */
    @Test
    @Order(2)
    void ownCreateOfAStoppedPassIsAppliedAgainDespiteAControlPlaneWriteInItsCreationSecond() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String environment = "stopped" + attempt;
            TestRepo repo = repo("stopped" + attempt, environment);
            GenericKubernetesResource old = crd();
            if (old != null) {
                client.genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition").withName(CRD)
                        .delete();
                waitUntil(() -> crd() == null);
            }
            DesiredState desired = ApplyHarness.render(repo, environment);
            startOfASecond();
            harness.counter.reset();
            ApplyReport stopped = new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                    .run(desired, null, () -> writesTo("/customresourcedefinitions/" + CRD).isEmpty(), Wanted.NONE);
            assertEquals(Outcome.CREATED, only(stopped, "CustomResourceDefinition", CRD).outcome(), stopped.toText());
            assertTrue(stopped.inventoryErrors().stream().anyMatch(e -> e.contains("writing stopped")), stopped.toText());
            Inventory.Entry pending = entry(environment, key(desired, "CustomResourceDefinition", CRD));
            assertNotNull(pending);
            assertTrue(pending.pending() && "true".equals(pending.extra().get(Inventory.CREATE)), "" + pending);
            if (!sameSecond(crd(), "dm-reconciler", "kube-apiserver")) {
                assertTrue(attempt < 4, "no status write in the creation second after " + attempt + " attempts");
                continue;
            }
            ApplyReport next = harness.apply(repo, environment);
            Result again = only(next, "CustomResourceDefinition", CRD);
            assertEquals(Outcome.CONFIGURED, again.outcome(), next.toText());
            assertEquals(Reason.NOT_IN_INVENTORY, again.reason());
            assertTrue(next.succeeded(), next.toText());
            assertFalse(entry(environment, key(desired, "CustomResourceDefinition", CRD)).pending());
            return;
        }
    }

    private static void waitUntil(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(100);
        }
    }

    /**
     * Someone else makes ConfigMap {@code first} at the moment the pass is about to write (its pending entries
     * recorded), the blind create merges into it in the same second; {@code stopAfterCreate}: writing stops right
     * after the create (the inventory is not saved). Returns the namespace once the times could not tell.
     */
    private static String mergedInTheCreationSecond(String prefix, boolean stopAfterCreate, TestRepo[] repoOut,
                                                    DesiredState[] desiredOut) throws InterruptedException {
        return mergedInTheCreationSecond(prefix, stopAfterCreate, false, repoOut, desiredOut);
    }

    /** @param serverSide the other party makes it with server-side apply (field manager kubectl), else with a POST */
    private static String mergedInTheCreationSecond(String prefix, boolean stopAfterCreate, boolean serverSide,
                                                    TestRepo[] repoOut, DesiredState[] desiredOut) throws InterruptedException {
        String maker = serverSide ? "kubectl" : "fabric8-kubernetes-client";
        for (int attempt = 1; ; attempt++) {
            String environment = prefix + attempt;
            TestRepo repo = repo(prefix + attempt, environment);
            String namespace = environment + "-dm";
            DesiredState desired = ApplyHarness.render(repo, environment);
            boolean[] made = {false};
            harness.counter.reset();
            ApplyReport report = blindPass(desired, key(desired, "ConfigMap", "first"), () -> {
                // the other creator writes at the last moment: once the environment scope is written (a new CRD is
                // waited for), before the namespace's objects
                if (!made[0] && !writesTo("/configmaps/home-config").isEmpty()) {
                    made[0] = true;
                    ConfigMap theirs = new ConfigMapBuilder().withNewMetadata().withName("first").addToLabels("team", "data")
                            .endMetadata().addToData("theirs", "1").build();
                    if (serverSide) {
                        client.configMaps().inNamespace(namespace).resource(theirs).fieldManager("kubectl").serverSideApply();
                    } else {
                        client.configMaps().inNamespace(namespace).resource(theirs).create();
                    }
                }
                return !stopAfterCreate || writesTo("/namespaces/" + namespace + "/configmaps/first").isEmpty();
            });
            ConfigMap after = first(namespace);
            if (only(report, "ConfigMap", "first").outcome() == Outcome.REFUSED
                    || !sameSecond(after, "dm-reconciler", maker)) {
                // the create came a second later (refused, released), or crossed a second: try again for the row wanted
                assertTrue(attempt < 4, "no create in the creation second after " + attempt + " attempts");
                continue;
            }
            Result unknown = only(report, "ConfigMap", "first");
            assertEquals(Outcome.FAILED, unknown.outcome(), report.toText());
            assertEquals(Reason.MAKER_UNKNOWN, unknown.reason(), report.toText());
            assertEquals(Map.of("theirs", "1", "c", "d"), after.getData(), "nothing removed");
            assertEquals("dm-reconciler", after.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
            Inventory.Entry pending = entry(environment, key(desired, "ConfigMap", "first"));
            assertTrue(pending != null && pending.pending(), String.valueOf(pending));
            repoOut[0] = repo;
            desiredOut[0] = desired;
            return namespace;
        }
    }

    /**
     * Residual of F1 (findings-s10 "Re-run at bf573a5"): the merge in the creation second, in a pass whose writing
     * stops right after the create (its inventory is not saved, so the pending entry names nothing): the next pass
     * neither applies it again (a take-over) nor strips it; it fails, writing nothing, until a person acts.
     */
    @Test
    @Order(3)
    void aMergeInTheCreationSecondOfAStoppedPassIsNotTakenOverByTheNextPass() throws InterruptedException {
        TestRepo[] repo = new TestRepo[1];
        DesiredState[] desired = new DesiredState[1];
        String namespace = mergedInTheCreationSecond("halt", true, repo, desired);
        String environment = namespace.replaceFirst("-dm$", "");
        assertNull(entry(environment, key(desired[0], "ConfigMap", "first")).extra().get(Inventory.MERGED_INTO),
                "the premise: writing stopped before the UID could be recorded");

        for (int pass = 1; pass <= 2; pass++) {
            ApplyReport next = harness.apply(repo[0], environment);
            Result still = only(next, "ConfigMap", "first");
            assertEquals(Outcome.FAILED, still.outcome(), "pass " + pass + ": " + next.toText());
            assertEquals(Reason.MAKER_UNKNOWN, still.reason(), next.toText());
            assertTrue(still.message().contains("check it and use --adopt or remove the marks"), still.message());
            assertEquals(List.of(), writesTo("/namespaces/" + namespace + "/configmaps/first"),
                    "not taken over, not stripped: " + harness.counter.writeLog());
            assertEquals(Map.of("theirs", "1", "c", "d"), first(namespace).getData());
            assertTrue(entry(environment, key(desired[0], "ConfigMap", "first")).pending(), "never recorded as ours");
        }
    }

    /**
     * F4, someone else's object: failed while nothing changes; once its maker's fields are gone (they removed what they
     * set), no one else claims any of it and the next pass applies it as the reconciler's own.
     */
    @Test
    @Order(4)
    void whenTheOtherManagersFieldsAreGoneItIsOurs() throws InterruptedException {
        TestRepo[] repo = new TestRepo[1];
        DesiredState[] desired = new DesiredState[1];
        String namespace = mergedInTheCreationSecond("gone", false, true, repo, desired);
        String environment = namespace.replaceFirst("-dm$", "");
        ApplyReport stuck = harness.apply(repo[0], environment);
        assertEquals(Outcome.FAILED, only(stuck, "ConfigMap", "first").outcome(), stuck.toText());

        // its maker gives up what it set (kubectl apply --server-side of a manifest without those fields): its
        // managed-fields entry owns nothing and goes
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                .endMetadata().build()).fieldManager("kubectl").serverSideApply();
        ConfigMap released = first(namespace);
        assertTrue(released.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager)
                .allMatch("dm-reconciler"::equals), "the premise: " + released.getMetadata().getManagedFields());

        ApplyReport healed = harness.apply(repo[0], environment);
        Result result = only(healed, "ConfigMap", "first");
        assertEquals(Outcome.CONFIGURED, result.outcome(), healed.toText());
        assertTrue(healed.succeeded(), healed.toText());
        Inventory.Entry recorded = entry(environment, key(desired[0], "ConfigMap", "first"));
        assertFalse(recorded.pending(), String.valueOf(recorded));
        assertNull(recorded.extra().get(Inventory.MERGED_INTO));
        assertEquals(Outcome.UNCHANGED, only(harness.apply(repo[0], environment), "ConfigMap", "first").outcome());
    }

    /** F4, someone else's object: deleted by its maker, the next pass creates the reconciler's own. */
    @Test
    @Order(5)
    void whenItIsDeletedTheNextPassCreatesItsOwn() throws InterruptedException {
        TestRepo[] repo = new TestRepo[1];
        DesiredState[] desired = new DesiredState[1];
        String namespace = mergedInTheCreationSecond("del", false, repo, desired);
        String environment = namespace.replaceFirst("-dm$", "");
        String theirs = first(namespace).getMetadata().getUid();
        client.configMaps().inNamespace(namespace).withName("first").delete();
        waitUntil(() -> first(namespace) == null);

        ApplyReport healed = harness.apply(repo[0], environment);
        assertEquals(Outcome.CREATED, only(healed, "ConfigMap", "first").outcome(), healed.toText());
        assertTrue(healed.succeeded(), healed.toText());
        ConfigMap ours = first(namespace);
        assertFalse(theirs.equals(ours.getMetadata().getUid()));
        assertEquals(Map.of("c", "d"), ours.getData());
        assertFalse(entry(environment, key(desired[0], "ConfigMap", "first")).pending());
    }

    /**
     * F4, someone else's object: its maker removes the reconciler's marks: theirs, refused as any object of that name
     * someone else made (the pending entry goes), and no longer a failure.
     */
    @Test
    @Order(6)
    void whenItsMakerRemovesTheMarksItIsTheirs() throws InterruptedException {
        TestRepo[] repo = new TestRepo[1];
        DesiredState[] desired = new DesiredState[1];
        String namespace = mergedInTheCreationSecond("marks", false, repo, desired);
        String environment = namespace.replaceFirst("-dm$", "");
        client.configMaps().inNamespace(namespace).withName("first").patch(new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).build(), "{\"metadata\":{\"labels\":{"
                + "\"app.kubernetes.io/managed-by\":null,\"dm-reconciler.dev/application\":null}}}");

        ApplyReport next = harness.apply(repo[0], environment);
        Result refused = only(next, "ConfigMap", "first");
        assertEquals(Outcome.REFUSED, refused.outcome(), next.toText());
        assertTrue(refused.message().contains("exists and is not managed by dm-reconciler"), refused.message());
        assertEquals(List.of(), writesTo("/namespaces/" + namespace + "/configmaps/first"), harness.counter.writeLog().toString());
        assertNull(entry(environment, key(desired[0], "ConfigMap", "first")), "never ours: the pending entry goes");
        assertEquals("1", first(namespace).getData().get("theirs"));
    }

    /**
     * F4, someone else's object: its maker adds a field a second or more later, which moves their managed-fields entry's
     * time past the creation (a time says when a manager's set of fields last changed, not when it made the object;
     * on 1.20 a changed value alone does not move it): "all other entries
     * later than the creation, ours in it" must not read as the reconciler's own then. Still failed, nothing written.
     */
    @Test
    @Order(7)
    void whenItsMakerEditsItLaterItIsStillNotTakenOver() throws InterruptedException {
        TestRepo[] repo = new TestRepo[1];
        DesiredState[] desired = new DesiredState[1];
        String namespace = mergedInTheCreationSecond("edit", false, repo, desired);
        String environment = namespace.replaceFirst("-dm$", "");
        ConfigMap merged = first(namespace);
        Instant after = Instant.parse(merged.getMetadata().getCreationTimestamp()).plusSeconds(1).plusMillis(50);
        while (Instant.now().isBefore(after)) {
            Thread.sleep(50);
        }
        client.configMaps().inNamespace(namespace).withName("first").patch(new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).build(), "{\"data\":{\"more\":\"2\"}}");
        assertFalse(sameSecond(first(namespace), "fabric8-kubernetes-client"), "the premise: their entry's time moved: " + first(namespace).getMetadata().getManagedFields());

        ApplyReport next = harness.apply(repo[0], environment);
        Result still = only(next, "ConfigMap", "first");
        assertEquals(Outcome.FAILED, still.outcome(), next.toText());
        assertEquals(Reason.MAKER_UNKNOWN, still.reason(), next.toText());
        assertEquals(List.of(), writesTo("/namespaces/" + namespace + "/configmaps/first"), harness.counter.writeLog().toString());
        assertEquals(Map.of("theirs", "1", "more", "2", "c", "d"), first(namespace).getData());
        assertTrue(entry(environment, key(desired[0], "ConfigMap", "first")).pending());
    }
}
