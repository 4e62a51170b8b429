package dev.dmreconciler.status;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools of {@code run} that start a thread only when none is idle, and end a thread that stayed idle for a
 * while. Why: the JDK's fixed pool starts a new thread for each task until it has all of them, however many are idle,
 * and keeps them forever; {@code run} had 8 reconcile and 8 status-server threads, nearly always idle, each keeping
 * the stack pages it once touched resident (a pass's stack is deep: templates, JSON). An ending thread's stack is
 * given back by glibc. A task given while a thread is just finishing its own may start one more thread (it ends once
 * idle); a task queued while an idle thread is just ending waits for the next thread to be free, as when all are busy.
 */
public final class ElasticPool {

    private ElasticPool() {
    }

    /**
     * At most {@code threads} tasks at once, the others queued in order (as {@code Executors.newFixedThreadPool}).
     * A task goes to an idle thread when there is one, else to a new thread while fewer than {@code threads} run.
     */
    public static ThreadPoolExecutor queued(int threads, Duration idle, ThreadFactory factory) {
        StartWhenBusy queue = new StartWhenBusy();
        Pool pool = new Pool(threads, idle, queue, factory);
        queue.pool = pool;
        return pool;
    }

    /** At most {@code threads} tasks at once and none queued: a task beyond that is rejected (its caller answers 503). */
    public static ThreadPoolExecutor unqueued(int threads, Duration idle, ThreadFactory factory) {
        return new ThreadPoolExecutor(0, threads, idle.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                factory, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Counts the tasks given and not yet finished, so the queue knows whether a thread is idle. */
    private static final class Pool extends ThreadPoolExecutor {
        private final AtomicInteger unfinished = new AtomicInteger();

        Pool(int threads, Duration idle, StartWhenBusy queue, ThreadFactory factory) {
            super(0, threads, idle.toMillis(), TimeUnit.MILLISECONDS, queue, factory, (task, pool) -> {
                if (pool.isShutdown()) {
                    throw new RejectedExecutionException("pool shut down");
                }
                queue.enqueue(task); // every thread started meanwhile: the task waits for one of them
            });
        }

        @Override
        public void execute(Runnable task) {
            unfinished.incrementAndGet();
            try {
                super.execute(task);
            } catch (RuntimeException e) {
                unfinished.decrementAndGet();
                throw e;
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable thrown) {
            unfinished.decrementAndGet();
        }
    }

    /**
     * Declines a task (so the pool starts a thread for it) while every thread is busy and more may start; otherwise
     * queues it for an idle or the next free thread.
     */
    private static final class StartWhenBusy extends LinkedBlockingQueue<Runnable> {
        private volatile Pool pool;

        @Override
        public boolean offer(Runnable task) {
            Pool owner = pool;
            if (owner != null && owner.unfinished.get() > owner.getPoolSize()
                    && owner.getPoolSize() < owner.getMaximumPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
