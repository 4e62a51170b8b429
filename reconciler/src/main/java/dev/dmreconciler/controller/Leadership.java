package dev.dmreconciler.controller;

import dev.dmreconciler.kube.WriteFence;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Only one replica writes: replicas elect a leader with a coordination Lease.
 *
 * <ul>
 *   <li><b>Campaign again, never give up.</b> fabric8's elector ends for good when a renewal fails past the renew
 *       deadline (an API outage longer than the lease). Here a loop starts a new campaign whenever one ends, so a
 *       replica that lost the lease becomes a standby and can lead again; it never needs a restart. Errors before
 *       the campaign (the API server is down at start) are logged and retried with backoff: no crash loop.</li>
 *   <li><b>Fenced writes.</b> {@link #mayWrite()} holds only while the lease is ours with at least {@code margin}
 *       of it left, measured from the start of our last successful renewal: a request started then ends (its
 *       timeout) before any other replica can take the lease over. Renewals come every {@code lease/7.5}.</li>
 * </ul>
 *
 * Without election (one replica, or the CLI) this replica is always the leader.
 */
final class Leadership implements AutoCloseable {

    /** The Lease's duration; the renew deadline is 2/3 of it and renewals are tried every 2/15 of it (15 s, 10 s, 2 s). */
    static final Duration LEASE = Duration.ofSeconds(15);
    /** Clock skew between replicas and scheduling slack, on top of the request bound. */
    static final Duration SKEW = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final WriteFence fence;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration lease;
    private final Duration margin;
    private final Runnable onStarted;
    private final Log log;
    private final AtomicBoolean leader;
    private volatile long renewedAt;
    private volatile boolean closed;
    private volatile CompletableFuture<?> campaign;
    private Thread loop;

    private Leadership(KubernetesClient client, WriteFence fence, String namespace, String name, String identity,
                       Duration lease, Duration margin, Runnable onStarted, Log log, boolean leader) {
        this.client = client;
        this.fence = fence;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.lease = lease;
        this.margin = margin;
        this.onStarted = onStarted;
        this.log = log;
        this.leader = new AtomicBoolean(leader);
    }

    static Leadership always() {
        return new Leadership(null, null, null, null, null, null, null, null, null, true);
    }

    /**
     * A replica that takes part in the election once {@link #start()}ed; not the leader before.
     *
     * @param margin how much of the lease must be left for a write to start: the longest request plus skew
     * @param fence opened for the Lease's namespace if it must be created; may be null
     */
    static Leadership elect(KubernetesClient client, WriteFence fence, String namespace, String name, String identity,
                            Duration lease, Duration margin, Runnable onStarted, Log log) {
        if (margin.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the write margin " + margin + " must be shorter than the lease " + lease);
        }
        return new Leadership(client, fence, namespace, name, identity, lease, margin, onStarted, log, false);
    }

    synchronized void start() {
        if (client == null || loop != null) {
            return;
        }
        loop = new Thread(this::campaignForever, "leader-election");
        loop.setDaemon(true);
        loop.start();
    }

    private void campaignForever() {
        int failures = 0;
        while (!closed) {
            try {
                if (fence != null) {
                    fence.unfenced(this::ensureNamespace);
                } else {
                    ensureNamespace();
                }
                failures = 0;
                log.info("campaigning for leadership", "identity", identity, "lease", namespace + "/" + name);
                campaign = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                        .withName(name)
                        .withLock(new RenewalRecordingLock(new LeaseLock(namespace, name, identity)))
                        .withLeaseDuration(lease)
                        .withRenewDeadline(lease.multipliedBy(2).dividedBy(3))
                        .withRetryPeriod(lease.multipliedBy(2).dividedBy(15))
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped,
                                newLeader -> log.info("leader is", "identity", newLeader)))
                        .build()).build().start();
                campaign.get();
                leader.set(false);
                if (!closed) {
                    log.warn("leader election ended; campaigning again", "identity", identity);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (CancellationException e) {
                leader.set(false);
            } catch (ExecutionException | RuntimeException e) {
                leader.set(false);
                failures++;
                if (!closed) {
                    Duration retryIn = Controller.backoff(Duration.ofSeconds(1), failures, lease);
                    log.warn("leader election failed; campaigning again", "identity", identity,
                            "error", Controller.causes(e instanceof ExecutionException ? e.getCause() : e), "retryIn", retryIn);
                    if (!sleep(retryIn)) {
                        break;
                    }
                }
                continue;
            }
            if (!closed && !sleep(lease.dividedBy(5))) {
                break;
            }
        }
    }

    private void started() {
        leader.set(true);
        log.info("leadership acquired", "identity", identity, "lease", namespace + "/" + name);
        onStarted.run();
    }

    private void stopped() {
        leader.set(false);
        log.warn("leadership lost: writing stopped", "identity", identity);
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isLeader() {
        return leader.get();
    }

    /** The lease is ours with at least the margin left (always true without election). */
    boolean mayWrite() {
        if (client == null) {
            return leader.get();
        }
        return leader.get() && System.nanoTime() - renewedAt + margin.toNanos() <= lease.toNanos();
    }

    /** "leading", "campaigning", "stopped" (closed), or "not elected" (one replica, no election). */
    String state() {
        if (client == null) {
            return "not elected";
        }
        if (closed) {
            return "stopped";
        }
        return leader.get() ? "leading" : "campaigning";
    }

    /** False only when the campaign loop died: the replica could never lead again (liveness and readiness fail). */
    boolean alive() {
        Thread thread = loop;
        return client == null || closed || thread == null || thread.isAlive();
    }

    private void ensureNamespace() {
        if (client.namespaces().withName(namespace).get() == null) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        leader.set(false);
        CompletableFuture<?> current = campaign;
        if (current != null) {
            current.cancel(true); // releases the lease (releaseOnCancel) so a standby takes over at once
        }
        Thread thread = loop;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Remembers when our last successful create or renewal of the Lease started: the fence counts from there. */
    private final class RenewalRecordingLock implements Lock {
        private final Lock delegate;

        RenewalRecordingLock(Lock delegate) {
            this.delegate = delegate;
        }

        @Override
        public LeaderElectionRecord get(KubernetesClient client) {
            return delegate.get(client);
        }

        @Override
        public void create(KubernetesClient client, LeaderElectionRecord record) {
            long started = System.nanoTime();
            delegate.create(client, record);
            recorded(record, started);
        }

        @Override
        public void update(KubernetesClient client, LeaderElectionRecord record) {
            long started = System.nanoTime();
            delegate.update(client, record);
            recorded(record, started);
        }

        private void recorded(LeaderElectionRecord record, long started) {
            if (identity.equals(record.getHolderIdentity())) {
                renewedAt = started;
            }
        }

        @Override
        public String identity() {
            return delegate.identity();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
