package dev.dmreconciler.inventory;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serialises the passes of one environment across processes (two {@code apply} runs, an {@code apply} next to
 * {@code run}): a coordination.k8s.io Lease {@code dm-reconciler-apply.<env>.<id>} in the inventory namespace,
 * held while a pass writes and renewed every third of its duration.
 *
 * <p>Why a Lease and not only an optimistic check on the inventory: two passes that both planned from the same
 * inventory would both write objects (each reverting the other's revision) before either could notice a
 * conflict when saving; with the Lease the second waits (bounded), then plans from what the first recorded.
 * The inventory saves still carry resourceVersions, so a holder that stalled past its Lease cannot overwrite
 * what a newer holder saved.
 *
 * <p>A holder that was killed leaves its Lease until it expires; when the holder ran on this host and its
 * process is gone, the Lease is taken at once.
 */
public final class EnvironmentLock implements AutoCloseable {

    /** Thrown when the environment stayed busy for the whole wait. */
    public static final class BusyException extends InventoryException {
        public BusyException(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration duration;
    private final ScheduledExecutorService renewer;
    private volatile Lease lease;
    private volatile long renewedAtNanos;
    private volatile boolean lost;

    private EnvironmentLock(KubernetesClient client, String namespace, String name, String identity, Duration duration,
                            Lease lease) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.duration = duration;
        this.lease = lease;
        this.renewedAtNanos = System.nanoTime();
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lease-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, duration.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** host:pid:random, so a Lease left by a dead process of this host can be recognised. */
    public static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Takes the environment's Lease, waiting up to {@code wait} while another live holder has it.
     *
     * @throws BusyException naming the holder and since when, when the wait ran out
     */
    public static EnvironmentLock acquire(KubernetesClient client, String namespace, String environment, String identity,
                                          Duration duration, Duration wait) {
        String name = InventoryName.lease(environment);
        long deadline = System.nanoTime() + wait.toNanos();
        Lease current = null;
        while (true) {
            try {
                current = client.leases().inNamespace(namespace).withName(name).get();
                ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                Lease mine = new LeaseBuilder(current == null ? new Lease() : current)
                        .editOrNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "dm-reconciler")
                        .addToAnnotations("dm-reconciler.dev/environment", environment).endMetadata()
                        .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
                        .withAcquireTime(now).withRenewTime(now)
                        .withLeaseTransitions(current == null || current.getSpec() == null
                                || current.getSpec().getLeaseTransitions() == null ? 0 : current.getSpec().getLeaseTransitions() + 1)
                        .endSpec().build();
                if (current == null) {
                    return new EnvironmentLock(client, namespace, name, identity, duration,
                            client.leases().inNamespace(namespace).resource(mine).create());
                }
                if (free(current, now)) {
                    return new EnvironmentLock(client, namespace, name, identity, duration,
                            client.leases().inNamespace(namespace).resource(mine).update());
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && !(e.getCode() == 404 && current != null)) {
                    throw new InventoryException("cannot take the Lease " + namespace + "/" + name + " for environment "
                            + environment + ": " + e.getMessage(), e);
                }
                // someone else took or created it between our read and write: look again
            }
            if (System.nanoTime() > deadline) {
                throw new BusyException(busy(environment, namespace, name, current, wait));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusyException("interrupted while waiting for environment " + environment);
            }
        }
    }

    /** No holder, an expired Lease, or a holder process of this host that no longer runs. */
    static boolean free(Lease lease, ZonedDateTime now) {
        var spec = lease.getSpec();
        if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
            return true;
        }
        ZonedDateTime renewed = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        if (renewed == null || renewed.plusSeconds(seconds).isBefore(now)) {
            return true;
        }
        return deadOnThisHost(spec.getHolderIdentity());
    }

    static boolean deadOnThisHost(String holder) {
        String[] parts = holder.split(":");
        if (parts.length != 3) {
            return false;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            return parts[0].equals(host) && pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String busy(String environment, String namespace, String name, Lease current, Duration wait) {
        String holder = current == null || current.getSpec() == null ? "another process" : current.getSpec().getHolderIdentity();
        ZonedDateTime since = current == null || current.getSpec() == null ? null : current.getSpec().getAcquireTime();
        return "environment " + environment + " is being applied by " + holder
                + (since == null ? "" : " since " + since.withZoneSameInstant(ZoneOffset.UTC).toInstant())
                + " (Lease " + namespace + "/" + name + "); waited " + wait.toSeconds() + " s; try again later";
    }

    /** True while the Lease is ours and was renewed recently enough that nobody else can have taken it. */
    public boolean held() {
        return !lost && System.nanoTime() - renewedAtNanos < duration.toNanos() * 2 / 3;
    }

    public String name() {
        return name;
    }

    private void renew() {
        try {
            Lease renewed = new LeaseBuilder(lease).editSpec().withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build();
            lease = client.leases().inNamespace(namespace).resource(renewed).update();
            renewedAtNanos = System.nanoTime();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                lost = true; // someone else holds it now: stop writing
            }
            // other errors: retried at the next period; held() turns false if they last
        } catch (RuntimeException e) {
            // never let the scheduler stop renewing silently
        }
    }

    /** Stops renewing and releases the Lease (holder cleared), so the next pass need not wait. */
    @Override
    public void close() {
        renewer.shutdownNow();
        if (lost) {
            return;
        }
        try {
            Lease released = new LeaseBuilder(lease).editSpec().withHolderIdentity(null).withLeaseDurationSeconds(1).endSpec().build();
            client.leases().inNamespace(namespace).resource(released).update();
        } catch (KubernetesClientException e) {
            // it expires by itself
        }
    }

}
