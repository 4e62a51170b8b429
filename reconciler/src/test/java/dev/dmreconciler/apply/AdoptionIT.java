package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never take or delete what is not ours: existing objects are refused unless adoption is asked for, adopted
 * Namespaces and Namespaces holding user objects are never deleted, a move keeps the old objects until the new
 * ones are applied, and a namespace moved between environments is never deleted by either.
 */
class AdoptionIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static Result only(ApplyReport report, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind) && r.change().key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    private static void assertNoWriteTo(String path) {
        List<String> writes = harness.counter.writeLog().stream().filter(w -> w.endsWith(" " + path)).toList();
        assertEquals(List.of(), writes, "writes to " + path + "; all writes: " + harness.counter.writeLog());
    }

    @Test
    void aPreExistingOperatorNamespaceIsRefusedThenAdoptedOnRequestAndNeverDeleted() {
        RealApiServer.createDataManagerNamespace(client, "adopt-dm");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-data")
                .addToLabels("team", "data").endMetadata().build()).fieldManager("kubectl-create").serverSideApply();
        client.configMaps().inNamespace("team-data").resource(new ConfigMapBuilder().withNewMetadata().withName("notes")
                .endMetadata().addToData("todo", "keep me").build()).fieldManager("kubectl-create").serverSideApply();
        String notesVersion = client.configMaps().inNamespace("team-data").withName("notes").get().getMetadata().getResourceVersion();
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("ns")).write("environments/team.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 1.2.3, jo_namespace: team-data}
                    namespaces: [adopt-dm]
                """);

        ApplyReport refused = harness.apply(repo, "team");
        assertFalse(refused.succeeded(), "a refused object is not converged (exit 3)");
        Result namespace = only(refused, "Namespace", "team-data");
        assertEquals(Outcome.REFUSED, namespace.outcome(), refused.toText());
        assertEquals(Reason.NOT_OURS, namespace.reason());
        assertTrue(namespace.message().contains("kubectl-create"), namespace.message());
        assertTrue(refused.toText().contains("refused Namespace team-data: exists and is not managed by dm-reconciler"), refused.toText());
        assertNoWriteTo("/api/v1/namespaces/team-data");
        Namespace untouched = client.namespaces().withName("team-data").get();
        assertNull(untouched.getMetadata().getLabels() == null ? null : untouched.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals(notesVersion, client.configMaps().inNamespace("team-data").withName("notes").get().getMetadata().getResourceVersion());

        repo.write("environments/team.yaml", """
                adopt: true
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 1.2.3, jo_namespace: team-data}
                    namespaces: [adopt-dm]
                """);
        ApplyReport adopted = harness.apply(repo, "team");
        assertTrue(adopted.succeeded(), adopted.toText());
        assertEquals(Outcome.ADOPTED, only(adopted, "Namespace", "team-data").outcome(), adopted.toText());
        Namespace ours = client.namespaces().withName("team-data").get();
        assertEquals("dm-reconciler", ours.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("true", ours.getMetadata().getAnnotations().get("dm-reconciler.dev/adopted"));

        ApplyReport again = harness.apply(repo, "team");
        assertTrue(again.succeeded(), again.toText());
        assertEquals(0, harness.counter.writes(), "an adopted object is unchanged on the next pass: " + harness.counter.writeLog());

        repo.write("environments/team.yaml", """
                applications:
                  jupyter-operator:
                    state: absent
                    values: {jo_image_tag: 1.2.3, jo_namespace: team-data}
                    namespaces: [adopt-dm]
                """);
        ApplyReport absent = harness.apply(repo, "team");
        assertTrue(absent.succeeded(), absent.toText());
        Result kept = only(absent, "Namespace", "team-data");
        assertEquals(Outcome.KEPT, kept.outcome(), absent.toText());
        assertEquals(Reason.ADOPTED_NAMESPACE, kept.reason());
        assertNoWriteTo("/api/v1/namespaces/team-data");
        assertNull(client.namespaces().withName("team-data").get().getMetadata().getDeletionTimestamp());
        assertEquals("keep me", client.configMaps().inNamespace("team-data").withName("notes").get().getData().get("todo"));
        assertNull(client.apps().deployments().inNamespace("team-data").withName("jupyter-operator").get(),
                "the application's own objects in it are removed");
    }

    @Test
    void aPreExistingServiceIsRefusedAndUntouchedNamingItsHelmRelease() {
        RealApiServer.createDataManagerNamespace(client, "svc-dm");
        client.services().inNamespace("svc-dm").resource(new ServiceBuilder().withNewMetadata().withName("web")
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToAnnotations("meta.helm.sh/release-name", "web").addToAnnotations("meta.helm.sh/release-namespace", "svc-dm")
                .endMetadata().withNewSpec().addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort().endSpec()
                .build()).fieldManager("helm").serverSideApply();
        Service before = client.services().inNamespace("svc-dm").withName("web").get();
        TestRepo repo = ShopBundle.repo(dir.resolve("svc")).write("environments/svc.yaml", """
                applications:
                  shop:
                    values: {sh_home: svc-home}
                    namespaces: [svc-dm]
                """);

        ApplyReport report = harness.apply(repo, "svc");
        Result web = only(report, "Service", "web");
        assertEquals(Outcome.REFUSED, web.outcome(), report.toText());
        assertTrue(web.message().contains("helm") && web.message().contains("Helm release web in svc-dm"), web.message());
        assertEquals(Outcome.CREATED, only(report, "ConfigMap", "first").outcome(), "the rest of the namespace converges");
        assertNoWriteTo("/api/v1/namespaces/svc-dm/services/web");
        Service after = client.services().inNamespace("svc-dm").withName("web").get();
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(8080, after.getSpec().getPorts().get(0).getPort());
        assertFalse(new dev.dmreconciler.inventory.InventoryStore(client, "dm-reconciler", "dm-reconciler").loadAll("shop")
                .get("svc").entries().keySet().stream().anyMatch(k -> k.kind().equals("Service")),
                "a refused object never enters the inventory");
    }

    @Test
    void aNamespaceHoldingAUsersCustomResourceIsKeptUnderStateAbsentUntilItIsEmpty() {
        RealApiServer.createDataManagerNamespace(client, "cr-dm");
        TestRepo repo = ShopBundle.repo(dir.resolve("cr")).write("environments/cr.yaml", """
                applications:
                  shop:
                    values: {sh_home: cr-home}
                    namespaces: [cr-dm]
                """);
        assertTrue(harness.apply(repo, "cr").succeeded());
        client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("cr-home").resource(
                new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
                        .withNewMetadata().withName("users-widget").withNamespace("cr-home").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("size", 1)).build()).create();

        repo.write("environments/cr.yaml", """
                applications:
                  shop:
                    state: absent
                    values: {sh_home: cr-home}
                    namespaces: [cr-dm]
                """);
        ApplyReport absent = harness.apply(repo, "cr");
        assertTrue(absent.succeeded(), absent.toText());
        Result home = only(absent, "Namespace", "cr-home");
        assertEquals(Outcome.KEPT, home.outcome(), absent.toText());
        assertEquals(Reason.NAMESPACE_NOT_EMPTY, home.reason());
        assertTrue(home.message().contains("Widget.example.com cr-home/users-widget"), home.message());
        assertNoWriteTo("/api/v1/namespaces/cr-home");
        assertNull(client.namespaces().withName("cr-home").get().getMetadata().getDeletionTimestamp());
        assertNotNull(client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("cr-home").withName("users-widget").get());
        assertNull(client.configMaps().inNamespace("cr-home").withName("home-config").get(), "its own objects are removed");

        client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("cr-home").withName("users-widget").delete();
        ApplyReport emptied = harness.apply(repo, "cr");
        assertTrue(emptied.succeeded(), emptied.toText());
        assertEquals(Outcome.DELETED, only(emptied, "Namespace", "cr-home").outcome(), emptied.toText());
        Namespace gone = client.namespaces().withName("cr-home").get();
        assertTrue(gone == null || gone.getMetadata().getDeletionTimestamp() != null);
    }

    @Test
    void movingToANamespaceWhosePreconditionFailsKeepsTheOldObjects() {
        RealApiServer.createDataManagerNamespace(client, "mv-old");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("mv-new").endMetadata().build()).create();
        TestRepo repo = ShopBundle.repo(dir.resolve("mv")).write("environments/mv.yaml", """
                applications:
                  shop:
                    values: {sh_home: mv-home}
                    namespaces: [mv-old]
                """);
        assertTrue(harness.apply(repo, "mv").succeeded());

        repo.write("environments/mv.yaml", """
                applications:
                  shop:
                    values: {sh_home: mv-home}
                    namespaces: [mv-new]
                """);
        ApplyReport moved = harness.apply(repo, "mv");
        assertFalse(moved.succeeded());
        assertEquals(0, harness.counter.count("DELETE"), harness.counter.writeLog().toString());
        for (Result r : moved.results()) {
            if (r.change().key().namespace().equals("mv-old")) {
                assertEquals(Outcome.SKIPPED, r.outcome(), moved.toText());
                assertEquals(Reason.PRUNE_BLOCKED, r.reason());
                assertTrue(r.message().contains("now rendered in namespace mv-new"), r.message());
            }
        }
        assertNotNull(client.services().inNamespace("mv-old").withName("web").get());
        assertNotNull(client.configMaps().inNamespace("mv-old").withName("first").get());

        client.serviceAccounts().inNamespace("mv-new").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("data-manager").endMetadata().build()).create();
        ApplyReport fixed = harness.apply(repo, "mv");
        assertTrue(fixed.succeeded(), fixed.toText());
        assertEquals(2, fixed.count(Outcome.CREATED), fixed.toText());
        assertEquals(2, fixed.count(Outcome.DELETED), fixed.toText());
        assertNull(client.services().inNamespace("mv-old").withName("web").get());
    }

    @Test
    void aNamespaceTakenOutOfGitIsPrunedWhileAnotherNamespaceOfTheBundleFails() {
        for (String ns : List.of("bk-a", "bk-b", "bk-c")) {
            RealApiServer.createDataManagerNamespace(client, ns);
        }
        TestRepo repo = ShopBundle.repo(dir.resolve("bk")).write("environments/bk.yaml", """
                applications:
                  shop:
                    values: {sh_home: bk-home}
                    namespaces: [bk-a, bk-b, bk-c]
                """);
        assertTrue(harness.apply(repo, "bk").succeeded());
        // bk-b's ConfigMap becomes a person's: bk-b is refused from now on (and rightly does not converge)
        client.configMaps().inNamespace("bk-b").withName("first").delete();
        client.configMaps().inNamespace("bk-b").resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                .endMetadata().addToData("mine", "person").build()).create();

        repo.write("environments/bk.yaml", """
                applications:
                  shop:
                    values: {sh_home: bk-home}
                    namespaces: [bk-a, bk-b]
                """);
        ApplyReport removed = harness.apply(repo, "bk");
        assertFalse(removed.succeeded(), removed.toText());
        assertEquals(Outcome.REFUSED, removed.results().stream().filter(r -> r.change().key().namespace().equals("bk-b")
                && r.change().key().name().equals("first")).findFirst().orElseThrow().outcome(), removed.toText());
        for (Result r : removed.results()) {
            if (r.change().key().namespace().equals("bk-c")) {
                assertEquals(Outcome.DELETED, r.outcome(), "nothing moved to bk-b: " + removed.toText());
            }
        }
        assertNull(client.configMaps().inNamespace("bk-c").withName("first").get());
        assertNull(client.services().inNamespace("bk-c").withName("web").get());
        assertEquals(Map.of("mine", "person"), client.configMaps().inNamespace("bk-b").withName("first").get().getData());
    }

    @Test
    void aNamespaceMovedBetweenTwoEnvironmentsInOneCommitIsNeverDeleted() {
        for (String ns : List.of("em-1", "em-2", "em-3")) {
            RealApiServer.createDataManagerNamespace(client, ns);
        }
        TestRepo repo = ShopBundle.repo(dir.resolve("em"))
                .write("environments/east.yaml", "applications:\n  shop:\n    values: {sh_home: em-home}\n    namespaces: [em-1, em-2]\n")
                .write("environments/west.yaml", "applications:\n  shop:\n    values: {sh_home: em-home}\n    namespaces: [em-3]\n");
        assertTrue(harness.apply(repo, "east").succeeded());
        assertTrue(harness.apply(repo, "west").succeeded());
        String uid = client.services().inNamespace("em-2").withName("web").get().getMetadata().getUid();

        // one commit: em-2 moves from east to west; east's pass happens to run first
        repo.write("environments/east.yaml", "applications:\n  shop:\n    values: {sh_home: em-home}\n    namespaces: [em-1]\n")
                .write("environments/west.yaml", "applications:\n  shop:\n    values: {sh_home: em-home}\n    namespaces: [em-2, em-3]\n");
        ApplyReport east = harness.apply(repo, "east");
        assertTrue(east.succeeded(), east.toText());
        assertEquals(List.of(), harness.counter.writeLog().stream().filter(w -> w.startsWith("DELETE")).toList());
        ApplyReport west = harness.apply(repo, "west");
        assertTrue(west.succeeded(), west.toText());
        assertEquals(List.of(), harness.counter.writeLog().stream().filter(w -> w.startsWith("DELETE")).toList());
        assertEquals(Outcome.CONFIGURED, west.results().stream().filter(r -> r.change().key().namespace().equals("em-2")
                && r.change().key().kind().equals("Service")).findFirst().orElseThrow().outcome(), west.toText());
        Service web = client.services().inNamespace("em-2").withName("web").get();
        assertEquals(uid, web.getMetadata().getUid(), "the same object, never deleted");
        assertEquals("west", web.getMetadata().getAnnotations().get("dm-reconciler.dev/environment"));
        ApplyReport eastAgain = harness.apply(repo, "east");
        assertTrue(eastAgain.succeeded(), eastAgain.toText());
        assertEquals(0, harness.counter.writes(), harness.counter.writeLog().toString());
    }
}
