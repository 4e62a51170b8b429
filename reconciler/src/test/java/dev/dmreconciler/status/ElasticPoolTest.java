package dev.dmreconciler.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ElasticPoolTest {

    private final AtomicInteger started = new AtomicInteger();
    private final ThreadFactory counting = task -> {
        started.incrementAndGet();
        Thread thread = new Thread(task, "elastic-" + started.get());
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void tasksOneAfterAnotherShareOneThread() throws Exception {
        ThreadPoolExecutor pool = ElasticPool.queued(8, Duration.ofMinutes(1), counting);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            pool.submit(() -> threads.add(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            awaitIdle(pool); // the task's result is out a moment before its thread is free again
        }
        assertEquals(1, threads.size(), "a fixed pool would have started 8 threads: " + threads);
        assertEquals(1, started.get());
        pool.shutdownNow();
    }

    @Test
    void busyThreadsStartMoreUpToTheLimitThenTasksQueueInOrder() throws Exception {
        ThreadPoolExecutor pool = ElasticPool.queued(3, Duration.ofMinutes(1), counting);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            pool.execute(() -> {
                running.countDown();
                await(release);
            });
        }
        assertTrue(running.await(10, TimeUnit.SECONDS), "three blocking tasks run at once on three threads");
        CountDownLatch queuedDone = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            int n = i;
            pool.execute(() -> {
                order.add(n);
                queuedDone.countDown();
            });
        }
        assertEquals(3, pool.getPoolSize(), "no fourth thread beyond the limit");
        assertEquals(5, pool.getQueue().size(), "the others wait, none is dropped");
        assertTrue(order.isEmpty());
        release.countDown();
        assertTrue(queuedDone.await(10, TimeUnit.SECONDS));
        assertEquals(3, started.get());
        assertEquals(5, order.size());
        pool.shutdownNow();
    }

    @Test
    void idleThreadsEnd() throws Exception {
        ThreadPoolExecutor pool = ElasticPool.queued(4, Duration.ofMillis(20), counting);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> {
                running.countDown();
                await(release);
            });
        }
        assertTrue(running.await(10, TimeUnit.SECONDS));
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.getPoolSize() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, pool.getPoolSize(), "every idle thread ended");
        assertEquals("after", pool.submit(() -> "after").get(10, TimeUnit.SECONDS), "a later task starts a thread again");
        pool.shutdownNow();
    }

    @Test
    void unqueuedRejectsBeyondTheLimitWithoutQueueing() throws Exception {
        ThreadPoolExecutor pool = ElasticPool.unqueued(2, Duration.ofMinutes(1), counting);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                running.countDown();
                await(release);
            });
        }
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        release.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(2, started.get());
    }

    @Test
    void aShutDownPoolRejects() {
        ThreadPoolExecutor pool = ElasticPool.queued(2, Duration.ofMinutes(1), counting);
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        assertFalse(pool.getQueue().size() > 0);
    }

    private static void awaitIdle(ThreadPoolExecutor pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.getActiveCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
