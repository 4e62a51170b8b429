package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.apply.Result;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Fingerprint;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which watch events make an environment due: the whole table, offline. */
class DriftWatchTest {

    private static final String MANAGER = "dm-reconciler";
    private static final ObjectKey DEPLOYMENT = new ObjectKey("apps", "Deployment", "op", "jupyter-operator");
    private static final ObjectKey CONFIG = new ObjectKey("", "ConfigMap", "dm-a", "config");

    private final List<String> due = new ArrayList<>();
    private final Map<ObjectKey, GenericKubernetesResource> cache = new HashMap<>();
    private long now = 0;
    private final DriftWatch drift = new DriftWatch(MANAGER, (environment, key) -> due.add(environment + " " + key.name()),
            new DriftWatch.Cache() {
                @Override
                public boolean current(ObjectKey key) {
                    return true;
                }

                @Override
                public GenericKubernetesResource get(ObjectKey key) {
                    return cache.get(key);
                }
            }, () -> now);

    /** A live object as the planner sees it: the hash annotation and the managed fields of each manager. */
    private static GenericKubernetesResource live(String hash, Map<String, String> fieldsByManager) {
        List<ManagedFieldsEntry> entries = new ArrayList<>();
        fieldsByManager.forEach((manager, field) -> entries.add(new ManagedFieldsEntry("apps/v1", "FieldsV1",
                fields("f:spec", Map.of("f:" + field, Map.of())), manager,
                manager.equals(MANAGER) ? "Apply" : "Update", null, null)));
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setMetadata(new ObjectMetaBuilder().withName("x").withAnnotations(Map.of(Stamp.HASH, hash))
                .withManagedFields(entries).build());
        return object;
    }

    static FieldsV1 fields(String key, Object value) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty(key, value);
        return fields;
    }

    private static final GenericKubernetesResource AS_APPLIED = live("h1", Map.of(MANAGER, "replicas"));

    private static Result result(ObjectKey key, Outcome outcome, String hash, GenericKubernetesResource after) {
        Map<String, Object> desired = Map.of("metadata", Map.of("annotations", Map.of(Stamp.HASH, hash)));
        Change change = new Change(key, "v1", outcome, "app", null, desired, null, Reason.NONE, "");
        return new Result(change, outcome, Reason.NONE, "", after == null ? null : Fingerprint.of(after, MANAGER), List.of());
    }

    private void pass(String environment, Result... results) {
        drift.passStarted(environment);
        drift.passEnded(environment, new ApplyReport(null, List.of(results), List.of()));
    }

    @Test
    void beforeAnyPassNothingIsWatchedForDrift() {
        drift.changed(DEPLOYMENT, live("other", Map.of("kubectl-edit", "replicas")));
        assertEquals(List.of(), due);
    }

    @Test
    void anEventThatStillLooksAsThePassLeftItIsIgnored() {
        pass("env", result(DEPLOYMENT, Outcome.CONFIGURED, "h1", AS_APPLIED));
        drift.changed(DEPLOYMENT, live("h1", Map.of(MANAGER, "replicas")));                         // echo of the write
        drift.changed(DEPLOYMENT, live("h1", Map.of(MANAGER, "replicas", "kube-controller", "paused"))); // status, others' fields
        assertEquals(List.of(), due);
    }

    @Test
    void anEditADeleteOrATakeOverMakesTheEnvironmentDue() {
        pass("env", result(DEPLOYMENT, Outcome.UNCHANGED, "h1", AS_APPLIED));
        drift.changed(DEPLOYMENT, live("h1", Map.of(MANAGER, "image", "kubectl-edit", "replicas"))); // field moved away
        drift.changed(DEPLOYMENT, live("h0", Map.of(MANAGER, "replicas")));                          // hash edited
        drift.changed(DEPLOYMENT, null);                                                             // deleted / marks removed
        assertEquals(List.of("env jupyter-operator", "env jupyter-operator", "env jupyter-operator"), due);
    }

    @Test
    void eventsDuringAPassAreJudgedAgainstWhatItLeft() {
        pass("env", result(DEPLOYMENT, Outcome.CONFIGURED, "h0", live("h0", Map.of(MANAGER, "replicas"))),
                result(CONFIG, Outcome.CONFIGURED, "c1", live("c1", Map.of(MANAGER, "data"))));
        drift.passStarted("env");
        drift.changed(DEPLOYMENT, AS_APPLIED);                          // the running pass's own write
        drift.changed(CONFIG, live("c2", Map.of(MANAGER, "data")));   // someone's edit meanwhile
        assertEquals(List.of(), due, "held while the pass runs");
        cache.put(DEPLOYMENT, AS_APPLIED);
        cache.put(CONFIG, live("c2", Map.of(MANAGER, "data")));
        drift.passEnded("env", new ApplyReport(null, List.of(result(DEPLOYMENT, Outcome.CONFIGURED, "h1", AS_APPLIED),
                result(CONFIG, Outcome.UNCHANGED, "c1", live("c1", Map.of(MANAGER, "data")))), List.of()));
        assertEquals(List.of("env config"), due);
    }

    @Test
    void whatDidNotConvergeIsLeftToRetriesAndOnlyTheEnvironmentsThatHaveTheObjectRun() {
        pass("a", result(DEPLOYMENT, Outcome.FAILED, "h1", null), result(CONFIG, Outcome.CONFIGURED, "c1",
                live("c1", Map.of(MANAGER, "data"))));
        pass("b", result(DEPLOYMENT, Outcome.UNCHANGED, "h1", AS_APPLIED));
        drift.changed(DEPLOYMENT, null);
        drift.changed(CONFIG, null);
        assertEquals(Set.of("b jupyter-operator", "a config"), Set.copyOf(due));
    }

    @Test
    void aFailedPassKeepsWhatThePreviousOneLeftAndAForgottenEnvironmentIsNotWatched() {
        pass("env", result(DEPLOYMENT, Outcome.CONFIGURED, "h1", AS_APPLIED));
        drift.passStarted("env");
        drift.passEnded("env", null); // threw: no report
        drift.changed(DEPLOYMENT, null);
        assertEquals(List.of("env jupyter-operator"), due);
        drift.forget("env");
        drift.changed(DEPLOYMENT, null);
        assertEquals(1, due.size());
        assertEquals(0, drift.size());
    }

    @Test
    void anObjectSomeoneKeepsChangingBackIsLeftToTheResyncAfterFiveRepairsAMinute() {
        pass("env", result(DEPLOYMENT, Outcome.CONFIGURED, "h1", AS_APPLIED));
        for (int i = 0; i < 8; i++) {
            drift.changed(DEPLOYMENT, live("h1", Map.of("autoscaler", "replicas")));
            now += java.time.Duration.ofSeconds(5).toNanos();
        }
        assertEquals(DriftWatch.FIGHT_LIMIT, due.size(), "five repairs, then no more within the minute: " + due);
        now += java.time.Duration.ofSeconds(30).toNanos();
        drift.changed(DEPLOYMENT, live("h1", Map.of("autoscaler", "replicas")));
        assertEquals(DriftWatch.FIGHT_LIMIT + 1, due.size(), "a minute after the first repairs, repaired again");
    }
}
