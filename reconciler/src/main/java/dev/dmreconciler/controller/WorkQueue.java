package dev.dmreconciler.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A work queue per environment, as controller-runtime's: a commit, a resync, a webhook and a retry only
 * <em>mark an environment due</em>. Per environment at most one pass runs and at most one is pending, however
 * many marks arrive (they coalesce); environments run in parallel on a bounded pool.
 *
 * <p>A pass answers whether it should be retried. {@link Verdict#RETRY} (the API server or the network failed)
 * schedules one retry after a capped exponential backoff (base, 2×base, … up to {@code maxBackoff}); a delay
 * that reaches the cap is not scheduled at all, because the next resync marks the environment due anyway. A
 * success resets the backoff. {@link Verdict#WAIT} (a steady state that only a commit or a change in the
 * cluster can end, such as a namespace whose precondition fails) schedules nothing: it costs one pass per
 * resync. Any pass that starts cancels a scheduled retry, so retries never pile up.
 */
final class WorkQueue implements AutoCloseable {

    /** What a pass asks of the queue. */
    enum Verdict {
        /** Converged: the backoff resets. */
        DONE,
        /** A transient failure (API server, network): retried after the backoff. */
        RETRY,
        /** Not converged, but retrying cannot help before a commit or a resync: nothing is scheduled. */
        WAIT
    }

    private final Function<String, Verdict> pass;
    private final Duration base;
    private final Duration maxBackoff;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, State> states = new HashMap<>();
    private boolean closed;
    private volatile Runnable whenIdle = () -> { };

    /** The queue's knowledge of one environment; guarded by the queue's lock. */
    private static final class State {
        boolean queued;
        boolean running;
        boolean due;
        boolean removed;
        int failures;
        ScheduledFuture<?> retry;
    }

    WorkQueue(Function<String, Verdict> pass, int threads, Duration base, Duration maxBackoff) {
        this.pass = pass;
        this.base = base;
        this.maxBackoff = maxBackoff;
        // one thread per pass running at once, ended when idle (a pass's stack is deep; resyncs reuse one thread)
        this.workers = dev.dmreconciler.status.ElasticPool.queued(Math.max(1, threads), Duration.ofSeconds(30), named("reconcile"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("retry-timer"));
    }

    /**
     * Run on the worker thread of a pass that ends with no other pass running or queued (a wave of passes is
     * over); a scheduled retry does not count. For work that should happen once per wave, not once per pass.
     */
    WorkQueue whenIdle(Runnable action) {
        this.whenIdle = action;
        return this;
    }

    /** The environment should be reconciled: queued now, or once its running pass ends. */
    synchronized void markDue(String environment) {
        State state = states.computeIfAbsent(environment, e -> new State());
        state.removed = false;
        if (closed) {
            return;
        }
        if (state.running) {
            state.due = true;
        } else if (!state.queued) {
            state.queued = true;
            workers.execute(() -> run(environment));
        }
    }

    /** The environment left git: nothing more is queued or retried for it; a running pass is told by the caller. */
    synchronized void remove(String environment) {
        State state = states.get(environment);
        if (state != null) {
            state.removed = true;
            state.due = false;
            state.failures = 0;
            cancelRetry(state);
        }
    }

    synchronized boolean removed(String environment) {
        State state = states.get(environment);
        return state != null && state.removed;
    }

    /** Consecutive failed passes of the environment (0 after a success). */
    synchronized int failures(String environment) {
        State state = states.get(environment);
        return state == null ? 0 : state.failures;
    }

    private void run(String environment) {
        synchronized (this) {
            State state = states.get(environment);
            state.queued = false;
            if (closed || state.removed) {
                return;
            }
            state.running = true;
            state.due = false;
            cancelRetry(state);
        }
        Verdict verdict = Verdict.RETRY;
        try {
            verdict = pass.apply(environment);
        } finally {
            finished(environment, verdict);
        }
        if (idle()) {
            whenIdle.run();
        }
    }

    /** No pass running or queued, and the queue open. */
    private synchronized boolean idle() {
        return !closed && states.values().stream().noneMatch(state -> state.running || state.queued);
    }

    private synchronized void finished(String environment, Verdict verdict) {
        State state = states.get(environment);
        state.running = false;
        if (closed || state.removed) {
            return;
        }
        switch (verdict) {
            case DONE -> state.failures = 0;
            case WAIT -> { }
            case RETRY -> {
                state.failures++;
                Duration delay = Controller.backoff(base, state.failures, maxBackoff);
                if (delay.compareTo(maxBackoff) < 0 && !state.due) {
                    state.retry = timer.schedule(() -> markDue(environment), delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        if (state.due) {
            state.due = false;
            state.queued = true;
            workers.execute(() -> run(environment));
        }
    }

    private static void cancelRetry(State state) {
        if (state.retry != null) {
            state.retry.cancel(false);
            state.retry = null;
        }
    }

    /**
     * Stops queueing, interrupts running passes and waits for them at most {@code grace}.
     *
     * @return true when every pass ended within the grace period
     */
    boolean close(Duration grace) {
        synchronized (this) {
            closed = true;
            states.values().forEach(WorkQueue::cancelRetry);
        }
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            return workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(20));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
