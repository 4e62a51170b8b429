package dev.dmreconciler.controller;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Only one replica writes: replicas elect a leader with a coordination Lease. The flag drops the moment the
 * lease is lost, and every write of the apply asks it first, so a replica that lost leadership stops writing
 * at once. Without election (one replica, or the CLI) this replica is always the leader.
 */
final class Leadership implements AutoCloseable {

    private final AtomicBoolean leader;
    private final CompletableFuture<?> election;

    private Leadership(AtomicBoolean leader, CompletableFuture<?> election) {
        this.leader = leader;
        this.election = election;
    }

    static Leadership always() {
        return new Leadership(new AtomicBoolean(true), null);
    }

    static Leadership elect(KubernetesClient client, String namespace, String name, String identity, Duration leaseDuration,
                            Runnable onStarted, Runnable onStopped, Log log) {
        ensureNamespace(client, namespace);
        AtomicBoolean leader = new AtomicBoolean(false);
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    leader.set(true);
                    log.info("leadership acquired", "identity", identity, "lease", namespace + "/" + name);
                    onStarted.run();
                },
                () -> {
                    leader.set(false);
                    log.warn("leadership lost: writing stopped", "identity", identity);
                    onStopped.run();
                },
                newLeader -> log.info("leader is", "identity", newLeader));
        CompletableFuture<?> election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(name)
                .withLock(new LeaseLock(namespace, name, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(leaseDuration.dividedBy(5))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(callbacks)
                .build()).build().start();
        return new Leadership(leader, election);
    }

    boolean isLeader() {
        return leader.get();
    }

    private static void ensureNamespace(KubernetesClient client, String namespace) {
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
        leader.set(false);
        if (election != null) {
            election.cancel(true); // releases the lease (releaseOnCancel) so a standby takes over at once
        }
    }
}
