package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle policies against the real API server: {@code recreate} replaces a Job whose template changed,
 * {@code create-once} never re-creates a Job that ran and was deleted until its spec changes, {@code keep}
 * leaves an object that left git in the cluster and drops it from the inventory.
 */
class LifecycleIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static TestRepo repo(Path root, String namespace, String values) {
        return TestRepo.empty(root).write("templates/jobs/bundle.yaml", """
                name: jobs
                prefix: jb_
                namespaceVariable: jb_namespace
                stateVariable: jb_state
                templates:
                  - file: templates/jobs/jobs.yaml.ftl
                    scope: namespace
                variables:
                  jb_state: {default: present}
                  jb_namespace: {default: dm}
                  jb_recreate_image: {default: "busybox:1"}
                  jb_once_image: {default: "busybox:1"}
                  jb_keep: {type: boolean, default: yes}
                """).write("templates/jobs/jobs.yaml.ftl", """
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
                      containers: [{name: work, image: ${jb_recreate_image?c}}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: train
                  annotations: {dm-reconciler.dev/lifecycle: create-once}
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: ${jb_once_image?c}}]
                <#if jb_keep>
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: results
                  annotations: {dm-reconciler.dev/lifecycle: keep}
                data: {path: /data/results}
                </#if>
                """).write("environments/" + namespace + ".yaml", """
                applications:
                  jobs:
                    values: {%s}
                    namespaces: [%s]
                """.formatted(values, namespace));
    }

    private static Result only(ApplyReport report, String kind, String name) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind) && r.change().key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not in\n" + report.toText()));
    }

    @Test
    void recreateReplacesAJobWhoseTemplateChanged() {
        RealApiServer.createDataManagerNamespace(client, "lc-recreate");
        TestRepo repo = repo(dir.resolve("recreate"), "lc-recreate", "jb_recreate_image: 'busybox:1'");
        assertTrue(harness.apply(repo, "lc-recreate").succeeded());
        String before = client.batch().v1().jobs().inNamespace("lc-recreate").withName("migrate").get().getMetadata().getUid();

        repo = repo(dir.resolve("recreate"), "lc-recreate", "jb_recreate_image: 'busybox:2'");
        // kube-api-test runs no garbage collector (no kube-controller-manager): the replacement must not wait for one
        ApplyReport report = harness.apply(repo, "lc-recreate");
        assertTrue(report.succeeded(), "exit 0: " + report.toText());
        Result migrate = only(report, "Job", "migrate");
        assertEquals(Outcome.REPLACED, migrate.outcome(), report.toText());
        assertEquals(Reason.RECREATED, migrate.reason());
        assertTrue(migrate.message().contains("spec.template"), migrate.message());
        assertTrue(report.toText().contains("replaced Job.batch lc-recreate/migrate"), report.toText());
        Job after = client.batch().v1().jobs().inNamespace("lc-recreate").withName("migrate").get();
        assertNotEquals(before, after.getMetadata().getUid(), "a new Job");
        assertEquals("busybox:2", after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertTrue(harness.counter.writeLog().stream().anyMatch(w -> w.equals("DELETE /apis/batch/v1/namespaces/lc-recreate/jobs/migrate")),
                harness.counter.writeLog().toString());

        ApplyReport again = harness.apply(repo, "lc-recreate");
        assertTrue(again.succeeded(), again.toText());
        assertEquals(0, harness.counter.writes(), "the replacement is recorded: " + harness.counter.writeLog());
    }

    @Test
    void aCreateOnceJobThatRanAndWasDeletedIsNotCreatedAgainUntilItsSpecChanges() {
        RealApiServer.createDataManagerNamespace(client, "lc-once");
        TestRepo repo = repo(dir.resolve("once"), "lc-once", "jb_once_image: 'trainer:1'");
        ApplyReport first = harness.apply(repo, "lc-once");
        assertTrue(first.succeeded(), first.toText());
        assertEquals(Outcome.CREATED, only(first, "Job", "train").outcome());

        // it ran (no kubelet here: the status is written as the job controller would), then its TTL removed it
        Job job = client.batch().v1().jobs().inNamespace("lc-once").withName("train").get();
        String now = Instant.now().toString();
        job.setStatus(new JobStatusBuilder().withSucceeded(1).withStartTime(now).withCompletionTime(now)
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                        .withLastProbeTime(now).withLastTransitionTime(now).build()).build());
        client.batch().v1().jobs().inNamespace("lc-once").resource(job).updateStatus();
        assertEquals(1, client.batch().v1().jobs().inNamespace("lc-once").withName("train").get().getStatus().getSucceeded());
        client.batch().v1().jobs().inNamespace("lc-once").withName("train").delete();
        assertNull(client.batch().v1().jobs().inNamespace("lc-once").withName("train").get());

        ApplyReport after = harness.apply(repo, "lc-once");
        assertTrue(after.succeeded(), after.toText());
        Result train = only(after, "Job", "train");
        assertEquals(Outcome.UNCHANGED, train.outcome(), after.toText());
        assertEquals(Reason.CREATED_ONCE, train.reason());
        assertEquals(0, harness.counter.writes(), "not re-created, nothing written: " + harness.counter.writeLog());
        assertNull(client.batch().v1().jobs().inNamespace("lc-once").withName("train").get());
        ApplyReport still = harness.apply(repo, "lc-once");
        assertEquals(0, harness.counter.writes(), "the inventory remembers it across passes: " + still.toText());

        repo = repo(dir.resolve("once"), "lc-once", "jb_once_image: 'trainer:2'");
        ApplyReport changed = harness.apply(repo, "lc-once");
        assertTrue(changed.succeeded(), changed.toText());
        assertEquals(Outcome.CREATED, only(changed, "Job", "train").outcome(), changed.toText());
        assertEquals("trainer:2", client.batch().v1().jobs().inNamespace("lc-once").withName("train").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void aReplacementHeldByAFinalizerFailsWithinItsTimeoutNamingItAndTheNextPassFinishesIt() {
        RealApiServer.createDataManagerNamespace(client, "lc-held");
        TestRepo repo = repo(dir.resolve("held"), "lc-held", "jb_recreate_image: 'busybox:1'");
        assertTrue(harness.apply(repo, "lc-held").succeeded());
        // someone else's finalizer (an operator's, a protection) holds the old Job after its DELETE
        client.batch().v1().jobs().inNamespace("lc-held").withName("migrate")
                .edit(j -> { j.getMetadata().setFinalizers(List.of("example.org/hold")); return j; });
        String before = client.batch().v1().jobs().inNamespace("lc-held").withName("migrate").get().getMetadata().getUid();

        repo = repo(dir.resolve("held"), "lc-held", "jb_recreate_image: 'busybox:2'");
        harness.options(ApplyOptions.defaults().withReplaceTimeout(java.time.Duration.ofSeconds(2)));
        try {
            long started = System.nanoTime();
            ApplyReport held = harness.apply(repo, "lc-held");
            long seconds = java.time.Duration.ofNanos(System.nanoTime() - started).toSeconds();
            assertFalse(held.succeeded(), held.toText());
            Result migrate = only(held, "Job", "migrate");
            assertEquals(Outcome.FAILED, migrate.outcome(), held.toText());
            assertTrue(migrate.message().contains("not gone after 2 s") && migrate.message().contains("example.org/hold")
                    && migrate.message().contains(before), migrate.message());
            assertTrue(seconds < 30, "bounded by the replace timeout, took " + seconds + " s");
            Job terminating = client.batch().v1().jobs().inNamespace("lc-held").withName("migrate").get();
            assertNotNull(terminating.getMetadata().getDeletionTimestamp(), "deleted, held by the finalizer");

            // the finalizer's owner lets go (the old Job goes at once): the next pass creates the new Job
            client.batch().v1().jobs().inNamespace("lc-held").withName("migrate")
                    .edit(j -> { j.getMetadata().setFinalizers(List.of()); return j; });
            ApplyReport finished = harness.apply(repo, "lc-held");
            assertTrue(finished.succeeded(), finished.toText());
            Job after = client.batch().v1().jobs().inNamespace("lc-held").withName("migrate").get();
            assertNotEquals(before, after.getMetadata().getUid());
            assertEquals("busybox:2", after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        } finally {
            harness.options(ApplyOptions.defaults());
        }
    }

    /**
     * The documented choice: a create-once Job deleted while it still ran (a person stopping a two-day GPU
     * allocation) is not started again either. Once it is gone the reconciler cannot tell "finished, then removed by
     * its TTL" from "stopped", and starting it again would undo the person's decision; a new spec runs it again.
     */
    @Test
    void aCreateOnceJobDeletedBeforeItFinishedIsNotStartedAgain() {
        RealApiServer.createDataManagerNamespace(client, "lc-stopped");
        TestRepo repo = repo(dir.resolve("stopped"), "lc-stopped", "jb_once_image: 'trainer:1'");
        assertTrue(harness.apply(repo, "lc-stopped").succeeded());
        Job running = client.batch().v1().jobs().inNamespace("lc-stopped").withName("train").get();
        assertNull(running.getStatus() == null ? null : running.getStatus().getCompletionTime(), "still running");
        client.batch().v1().jobs().inNamespace("lc-stopped").withName("train").delete();
        assertNull(client.batch().v1().jobs().inNamespace("lc-stopped").withName("train").get());

        ApplyReport after = harness.apply(repo, "lc-stopped");
        assertTrue(after.succeeded(), after.toText());
        Result train = only(after, "Job", "train");
        assertEquals(Outcome.UNCHANGED, train.outcome(), after.toText());
        assertEquals(Reason.CREATED_ONCE, train.reason());
        assertEquals(0, harness.counter.writes(), harness.counter.writeLog().toString());
        assertNull(client.batch().v1().jobs().inNamespace("lc-stopped").withName("train").get());
    }

    @Test
    void aKeepObjectRemovedFromGitStaysAndLeavesTheInventory() {
        RealApiServer.createDataManagerNamespace(client, "lc-keep");
        TestRepo repo = repo(dir.resolve("keep"), "lc-keep", "jb_keep: yes");
        assertTrue(harness.apply(repo, "lc-keep").succeeded());
        String uid = client.configMaps().inNamespace("lc-keep").withName("results").get().getMetadata().getUid();

        repo = repo(dir.resolve("keep"), "lc-keep", "jb_keep: no");
        ApplyReport removed = harness.apply(repo, "lc-keep");
        assertTrue(removed.succeeded(), removed.toText());
        Result results = only(removed, "ConfigMap", "results");
        assertEquals(Outcome.KEPT, results.outcome(), removed.toText());
        assertEquals(Reason.KEEP_POLICY, results.reason());
        assertEquals(0, harness.counter.count("DELETE"), harness.counter.writeLog().toString());
        assertEquals(uid, client.configMaps().inNamespace("lc-keep").withName("results").get().getMetadata().getUid());
        java.util.Set<String> inventory = new dev.dmreconciler.inventory.InventoryStore(client, "dm-reconciler", "dm-reconciler")
                .loadAll("jobs").get("lc-keep").entries().keySet().stream().map(k -> k.name())
                .collect(java.util.stream.Collectors.toSet());
        assertFalse(inventory.contains("results"), inventory.toString());
        assertTrue(inventory.contains("train"), inventory.toString());

        ApplyReport next = harness.apply(repo, "lc-keep");
        assertTrue(next.results().stream().noneMatch(r -> r.change().key().name().equals("results")), next.toText());
        assertEquals(0, harness.counter.writes(), harness.counter.writeLog().toString());
        assertNotNull(client.configMaps().inNamespace("lc-keep").withName("results").get());
    }
}
