package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The per-environment queue's whole table: coalescing, one running and one pending, backoff, reset, removal. */
class WorkQueueTest {

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void marksDuringARunningPassCoalesceIntoOnePendingPass() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (WorkQueue queue = new WorkQueue(env -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            passes.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            return WorkQueue.Verdict.DONE;
        }, 4, Duration.ofMillis(10), Duration.ofSeconds(10))) {
            queue.markDue("a");
            await(() -> passes.get() == 1);
            for (int i = 0; i < 50; i++) {
                queue.markDue("a"); // a commit, resyncs, webhooks, retries while the pass runs
            }
            release.countDown();
            await(() -> passes.get() == 2);
            Thread.sleep(200);
            assertEquals(2, passes.get(), "50 marks during a pass make exactly one more pass");
            assertEquals(1, maxConcurrent.get(), "never two passes of one environment at once");
        }
    }

    @Test
    void environmentsRunInParallel() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        try (WorkQueue queue = new WorkQueue(env -> {
            both.countDown();
            try {
                both.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WorkQueue.Verdict.DONE;
        }, 2, Duration.ofMillis(10), Duration.ofSeconds(10))) {
            queue.markDue("a");
            queue.markDue("b");
            assertTrue(both.await(5, TimeUnit.SECONDS), "a slow environment does not hold up another");
        }
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCapThenWaitForTheResync() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        try (WorkQueue queue = new WorkQueue(env -> {
            starts.add((System.nanoTime() - t0) / 1_000_000);
            return WorkQueue.Verdict.RETRY;
        }, 2, Duration.ofMillis(100), Duration.ofMillis(800))) {
            queue.markDue("a");
            Thread.sleep(2500);
            // passes at ~0, +100, +200, +400; the next delay (800) reaches the cap: left to the resync
            assertEquals(4, starts.size(), "retries: " + starts);
            assertTrue(starts.get(3) - starts.get(2) >= 350, "doubling: " + starts);
            assertEquals(4, queue.failures("a"));
        }
    }

    @Test
    void aSuccessResetsTheBackoffAndAWaitSchedulesNothing() throws Exception {
        Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();
        Function<String, WorkQueue.Verdict> pass = env -> {
            int n = passes.computeIfAbsent(env, e -> new AtomicInteger()).incrementAndGet();
            if (env.equals("flaky")) {
                return n < 3 ? WorkQueue.Verdict.RETRY : WorkQueue.Verdict.DONE;
            }
            return WorkQueue.Verdict.WAIT; // e.g. a namespace whose precondition fails
        };
        try (WorkQueue queue = new WorkQueue(pass, 2, Duration.ofMillis(50), Duration.ofSeconds(10))) {
            queue.markDue("flaky");
            queue.markDue("steady");
            await(() -> passes.containsKey("flaky") && passes.get("flaky").get() == 3);
            Thread.sleep(500);
            assertEquals(3, passes.get("flaky").get());
            assertEquals(0, queue.failures("flaky"), "reset on success");
            assertEquals(1, passes.get("steady").get(), "a steady state is not retried");
        }
    }

    @Test
    void aResyncDuringTheBackoffRunsAtOnceAndReplacesTheScheduledRetry() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        try (WorkQueue queue = new WorkQueue(env -> {
            passes.incrementAndGet();
            return WorkQueue.Verdict.RETRY;
        }, 2, Duration.ofMillis(600), Duration.ofSeconds(10))) {
            queue.markDue("a");
            await(() -> passes.get() == 1);
            Thread.sleep(100);
            queue.markDue("a"); // the resync: runs now, and its failure schedules the next retry at 1.2 s
            await(() -> passes.get() == 2);
            Thread.sleep(900); // past the first retry's time (600 ms after pass 1): it was cancelled
            assertEquals(2, passes.get(), "one scheduled retry at most; a pass that starts cancels it");
        }
    }

    @Test
    void aRemovedEnvironmentIsNeitherRunNorRetried() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        try (WorkQueue queue = new WorkQueue(env -> {
            passes.incrementAndGet();
            return WorkQueue.Verdict.RETRY;
        }, 2, Duration.ofMillis(100), Duration.ofSeconds(10))) {
            queue.markDue("a");
            await(() -> passes.get() == 1);
            queue.remove("a");
            assertTrue(queue.removed("a"));
            Thread.sleep(500);
            assertEquals(1, passes.get(), "the retry was dropped");
            queue.markDue("a"); // it came back in a later commit
            await(() -> passes.get() == 2);
        }
    }

    @Test
    void theIdleActionRunsOncePerWaveAfterTheLastPassNotAfterEachOne() throws Exception {
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch aStarted = new CountDownLatch(1);
        try (WorkQueue queue = new WorkQueue(env -> {
            if (env.equals("a")) {
                aStarted.countDown();
            }
            try {
                (env.equals("a") ? releaseA : releaseB).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.add("pass " + env);
            return env.equals("b") ? WorkQueue.Verdict.RETRY : WorkQueue.Verdict.DONE;
        }, 2, Duration.ofSeconds(30), Duration.ofMinutes(5))) {
            queue.whenIdle(() -> log.add("idle"));
            queue.markDue("a");
            queue.markDue("b");
            assertTrue(aStarted.await(10, TimeUnit.SECONDS));
            queue.markDue("a"); // pending behind a's running pass
            releaseA.countDown();
            await(() -> log.size() >= 2);
            Thread.sleep(200);
            assertEquals(List.of("pass a", "pass a"), log, "b still runs: no idle action yet");
            releaseB.countDown();
            await(() -> log.size() == 4);
            Thread.sleep(200);
            // b's failure schedules a retry 30 s later: a scheduled retry does not keep the queue busy
            assertEquals(List.of("pass a", "pass a", "pass b", "idle"), log);
        }
    }

    @Test
    void closeInterruptsARunningPassAndReturnsWithinTheGrace() {
        WorkQueue queue = new WorkQueue(env -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WorkQueue.Verdict.DONE;
        }, 1, Duration.ofMillis(100), Duration.ofSeconds(10));
        queue.markDue("a");
        long started = System.nanoTime();
        assertTrue(queue.close(Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }
}
