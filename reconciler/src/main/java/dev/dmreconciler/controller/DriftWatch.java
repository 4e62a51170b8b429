package dev.dmreconciler.controller;

import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.apply.Result;
import dev.dmreconciler.plan.Fingerprint;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import dev.dmreconciler.watch.WatchCache;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns watch events about managed objects into passes, and only the events that a pass would act on: after
 * each pass it remembers, per environment, what every object it applied (or found unchanged) looks like to the
 * planner — the desired hash in its annotation and the fingerprint of the reconciler's managed fields. An event
 * that still matches (the echo of the pass's own write, a status update, a field someone else owns) is ignored;
 * one that does not ({@code kubectl edit} of an applied field, a delete, fields taken over by another manager,
 * the marks removed) makes the environment due at once, whatever the resync interval.
 *
 * <p>Events of an environment whose pass is running are held until it ends and then judged against what it
 * left (its own writes arrive while it runs). What a pass did not converge (failed, skipped, refused) is not
 * remembered: the retry and the resync deal with it, and an event about it does not trigger a pass.
 */
final class DriftWatch implements WatchCache.Listener {

    /** What a pass left an object like: the planner calls it unchanged while these hold. */
    record Expected(String hash, String fingerprint) {
    }

    private final String fieldManager;
    private final BiConsumer<String, ObjectKey> due;
    private final Function<ObjectKey, GenericKubernetesResource> cached;
    /** object → environment → what its last pass left. */
    private final Map<ObjectKey, Map<String, Expected>> expected = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, Set<ObjectKey>> held = new HashMap<>();

    /**
     * @param due    told that an environment should run because of a change to that object
     * @param cached the object as the cache has it now, or null when deleted (or the cache is not current)
     */
    DriftWatch(String fieldManager, BiConsumer<String, ObjectKey> due, Function<ObjectKey, GenericKubernetesResource> cached) {
        this.fieldManager = fieldManager;
        this.due = due;
        this.cached = cached;
    }

    @Override
    public void changed(ObjectKey key, GenericKubernetesResource object) {
        for (String environment : judge(key, object)) {
            due.accept(environment, key);
        }
    }

    /** The environments the change makes due (held ones are judged when their pass ends). */
    synchronized Set<String> judge(ObjectKey key, GenericKubernetesResource object) {
        Map<String, Expected> byEnvironment = expected.get(key);
        if (byEnvironment == null) {
            return Set.of();
        }
        Set<String> due = new HashSet<>();
        byEnvironment.forEach((environment, expectation) -> {
            if (running.contains(environment)) {
                held.computeIfAbsent(environment, e -> new HashSet<>()).add(key);
            } else if (!matches(expectation, object)) {
                due.add(environment);
            }
        });
        return due;
    }

    synchronized void passStarted(String environment) {
        running.add(environment);
    }

    /**
     * The pass ended: what it left replaces what the environment expected (when it has a report), and the events
     * held meanwhile are judged against that.
     */
    void passEnded(String environment, ApplyReport report) {
        Set<ObjectKey> drifted = new HashSet<>();
        synchronized (this) {
            if (report != null) {
                remember(environment, report);
            }
            running.remove(environment);
            for (ObjectKey key : held.getOrDefault(environment, Set.of())) {
                Expected expectation = expected.getOrDefault(key, Map.of()).get(environment);
                if (expectation != null && !matches(expectation, cached.apply(key))) {
                    drifted.add(key);
                }
            }
            held.remove(environment);
        }
        drifted.forEach(key -> due.accept(environment, key));
    }

    /** The environment is no longer reconciled here (removed from git). */
    synchronized void forget(String environment) {
        expected.values().forEach(m -> m.remove(environment));
        expected.values().removeIf(Map::isEmpty);
        held.remove(environment);
    }

    /** How many objects are watched for drift (for tests). */
    synchronized int size() {
        return expected.size();
    }

    private void remember(String environment, ApplyReport report) {
        expected.values().forEach(m -> m.remove(environment));
        for (Result result : report.results()) {
            if (converged(result.outcome()) && result.fingerprint() != null && result.change().desired() != null) {
                expected.computeIfAbsent(result.change().key(), k -> new HashMap<>()).put(environment,
                        new Expected(Stamp.hashOf(result.change().desired()), result.fingerprint()));
            }
        }
        expected.values().removeIf(Map::isEmpty);
    }

    /** Whether the planner would still find the object unchanged. */
    boolean matches(Expected expectation, GenericKubernetesResource live) {
        if (live == null) {
            return false;
        }
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        String hash = annotations == null ? null : annotations.get(Stamp.HASH);
        return Objects.equals(expectation.hash(), hash)
                && expectation.fingerprint().equals(Fingerprint.of(live, fieldManager));
    }

    static boolean converged(Outcome outcome) {
        return outcome == Outcome.CREATED || outcome == Outcome.CONFIGURED || outcome == Outcome.ADOPTED
                || outcome == Outcome.REPLACED || outcome == Outcome.UNCHANGED;
    }
}
