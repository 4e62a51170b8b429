package dev.dmreconciler.kube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The I/O threads the API clients leave behind when they are closed, waited for before a one-shot command exits.
 *
 * <p>Why: a JVM that exits while a thread is blocked in native code waits for it for 300 ms
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}: the VM thread polls every 10 ms, 30 times, for threads in
 * native to block). A closed fabric8 client closes its Vert.x instance asynchronously: its event-loop threads sit in
 * {@code epoll_wait} until the close reaches them, a few milliseconds later. Exiting in that window cost every
 * {@code apply} and {@code diff} 0.3 s of idle wall time (measured with strace: the last output line, then 0.30 s of
 * nothing, then {@code exit_group}). Waiting for those threads to end takes a few milliseconds instead.
 */
public final class ClientThreads {

    /** Vert.x's default thread names of the threads that block in the selector (native) while idle. */
    private static final List<String> SELECTOR_THREADS = List.of("vert.x-eventloop-thread-", "vert.x-acceptor-thread-");

    private ClientThreads() {
    }

    /**
     * Waits until no selector thread of a closed client is left, at most {@code limit}; a client still open (its
     * threads keep running) only costs the limit.
     *
     * @return whether none was left in time
     */
    public static boolean awaitClosed(Duration limit) {
        return awaitEnd(selectorThreads(), limit);
    }

    /** Waits until these threads ended, at most {@code limit} in all; whether they all did. */
    static boolean awaitEnd(List<Thread> threads, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** The live selector threads of Vert.x instances in this process. */
    static List<Thread> selectorThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        List<Thread> selectors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = threads[i].getName();
            if (threads[i] != Thread.currentThread() && SELECTOR_THREADS.stream().anyMatch(name::startsWith)) {
                selectors.add(threads[i]);
            }
        }
        return selectors;
    }
}
