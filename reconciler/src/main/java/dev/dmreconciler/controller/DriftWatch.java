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

    /** The watch cache as DriftWatch reads it. */
    interface Cache {
        /** Whether the object's type is cached and current (else {@link #get} knows nothing). */
        boolean current(ObjectKey key);

        /** The object as cached, null when absent. */
        GenericKubernetesResource get(ObjectKey key);
    }

    private final String fieldManager;
    private final BiConsumer<String, ObjectKey> due;
    private final Cache cache;
    /** environment → what its last pass wrote, until the cache shows it ({@link #awaitSeen}). */
    private final Map<String, Map<ObjectKey, Expected>> written = new HashMap<>();
    /** (environment, object) → when it last made the environment due, newest last: see {@link #fighting}. */
    private final Map<String, java.util.ArrayDeque<Long>> repairs = new HashMap<>();
    private final java.util.function.LongSupplier clock;
    private Log log;

    /** At most this many repairs of one object per {@link #FIGHT_WINDOW}; beyond, it is left to the resync. */
    static final int FIGHT_LIMIT = 5;
    static final java.time.Duration FIGHT_WINDOW = java.time.Duration.ofMinutes(1);
    /** object → environment → what its last pass left. */
    private final Map<ObjectKey, Map<String, Expected>> expected = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, Set<ObjectKey>> held = new HashMap<>();

    /**
     * @param due    told that an environment should run because of a change to that object
     * @param cache  the objects as the watch cache has them now
     */
    DriftWatch(String fieldManager, BiConsumer<String, ObjectKey> due, Cache cache) {
        this(fieldManager, due, cache, System::nanoTime);
    }

    DriftWatch(String fieldManager, BiConsumer<String, ObjectKey> due, Cache cache, java.util.function.LongSupplier nanoClock) {
        this.fieldManager = fieldManager;
        this.due = due;
        this.cache = cache;
        this.clock = nanoClock;
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
            } else if (!matches(expectation, object) && !fighting(environment, key)) {
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
                // not current: unknown, so run (the pass reads the API server for that type)
                if (expectation != null && (!cache.current(key) || !matches(expectation, cache.get(key)))
                        && !fighting(environment, key)) {
                    drifted.add(key);
                }
            }
            held.remove(environment);
        }
        drifted.forEach(key -> due.accept(environment, key));
    }

    /**
     * Waits, at most {@code timeout}, until the cache shows what the environment's last pass wrote as the pass
     * left it (the watch delivers a write some milliseconds after its response), so that the next pass does not
     * plan from an answer older than this process's own writes and apply them again. Objects whose type is not
     * current are not waited for (the next pass reads those from the API server).
     */
    void awaitSeen(String environment, java.time.Duration timeout) {
        Map<ObjectKey, Expected> unseen;
        synchronized (this) {
            unseen = written.remove(environment);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unseen != null) {
            unseen.entrySet().removeIf(e -> !cache.current(e.getKey()) || matches(e.getValue(), cache.get(e.getKey())));
            if (unseen.isEmpty() || System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether the object has made the environment due {@link #FIGHT_LIMIT} times within {@link #FIGHT_WINDOW}
     * already: someone keeps changing it back (another environment rendering it differently, an autoscaler, a
     * controller). Repairing it at once every time would be a write loop; it is left to the resync meanwhile.
     * Otherwise the repair is counted.
     */
    private boolean fighting(String environment, ObjectKey key) {
        long now = clock.getAsLong();
        java.util.ArrayDeque<Long> times = repairs.computeIfAbsent(environment + " " + key, k -> new java.util.ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() > FIGHT_WINDOW.toNanos()) {
            times.removeFirst();
        }
        if (times.size() >= FIGHT_LIMIT) {
            if (log != null) {
                log.warn("keeps changing back; left to the resync meanwhile (someone else writes it: another environment, "
                        + "an autoscaler, a controller?)", "env", environment, "object", key, "repairs", FIGHT_LIMIT,
                        "withinSeconds", FIGHT_WINDOW.toSeconds());
            }
            return true;
        }
        times.addLast(now);
        return false;
    }

    /** Where a fight over an object is reported. */
    DriftWatch loggingTo(Log log) {
        this.log = log;
        return this;
    }

    /** The environment is no longer reconciled here (removed from git). */
    synchronized void forget(String environment) {
        expected.values().forEach(m -> m.remove(environment));
        expected.values().removeIf(Map::isEmpty);
        held.remove(environment);
        written.remove(environment);
        repairs.keySet().removeIf(k -> k.startsWith(environment + " "));
    }

    /** How many objects are watched for drift (for tests). */
    synchronized int size() {
        return expected.size();
    }

    private void remember(String environment, ApplyReport report) {
        expected.values().forEach(m -> m.remove(environment));
        Map<ObjectKey, Expected> wrote = new HashMap<>();
        for (Result result : report.results()) {
            if (converged(result.outcome()) && result.fingerprint() != null && result.change().desired() != null) {
                Expected expectation = new Expected(Stamp.hashOf(result.change().desired()), result.fingerprint());
                expected.computeIfAbsent(result.change().key(), k -> new HashMap<>()).put(environment, expectation);
                if (result.outcome() != Outcome.UNCHANGED) {
                    wrote.put(result.change().key(), expectation);
                }
            }
        }
        written.put(environment, wrote);
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
