package dev.dmreconciler.cli;

import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.kube.KubeConnector;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.kube.WriteFence;
import dev.dmreconciler.plan.PrunePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How to reach the cluster and how to write to it; shared by the commands that talk to a cluster. */
final class ClusterOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: KUBECONFIG, ~/.kube/config or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current one).")
    String context;

    @Option(names = "--field-manager", defaultValue = "dm-reconciler", paramLabel = "NAME", description = "Server-side apply field manager. Default: ${DEFAULT-VALUE}.")
    String fieldManager;

    @Option(names = "--no-force-conflicts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Take fields other managers own (each forced conflict is reported). Default: force.")
    boolean forceConflicts;

    @Option(names = "--concurrency", defaultValue = "8", paramLabel = "N", description = "Namespaces (instances' scopes) applied at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--inventory-namespace", defaultValue = "dm-reconciler", paramLabel = "NS", description = "Where inventories are kept. Default: ${DEFAULT-VALUE}.")
    String inventoryNamespace;

    @Option(names = "--take-over-inventory", description = "Accept an environment's inventories recorded from another environment file "
            + "of the same name (the file moved). Without it such a pass is refused: two files would prune each other's objects.")
    boolean takeOverInventory;

    @Option(names = "--lock-wait", defaultValue = "60", paramLabel = "SECONDS", description = "How long to wait while another "
            + "process applies the same environment (its Lease in the inventory namespace). Default: ${DEFAULT-VALUE}s.")
    int lockWaitSeconds;

    @Option(names = "--prune-namespaces", description = "Allow deleting Namespaces that left git.")
    boolean pruneNamespaces;

    @Option(names = "--prune-crds", description = "Allow deleting CRDs (this deletes every object of them, e.g. all notebooks).")
    boolean pruneCrds;

    @Option(names = "--prune-pvcs", description = "Allow deleting PersistentVolumeClaims.")
    boolean prunePvcs;

    @Option(names = "--adopt", description = "Take over objects that exist without the reconciler's marks (made by the "
            + "playbooks, by hand or by Helm); each is reported 'adopted'. Default: refuse them and leave them untouched.")
    boolean adopt;

    @Option(names = "--crd-timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Wait for a CRD to be Established. Default: ${DEFAULT-VALUE}s.")
    int crdTimeoutSeconds;

    @Option(names = "--replace-timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Wait for an object "
            + "replaced under lifecycle recreate (an immutable field changed) to be gone before creating it again. Default: ${DEFAULT-VALUE}s.")
    int replaceTimeoutSeconds;

    /** A client for one command; an unreachable API server fails here at once, naming its URL and the cause. */
    KubernetesClient connect(RequestCounter counter) throws IOException {
        io.fabric8.kubernetes.client.Config config = KubeConnector.config(kubeconfig, context);
        KubeConnector.requireReachable(config);
        return KubeConnector.connect(config, counter);
    }

    /** The long-running controller's client: bounded requests, no client retries, writes behind {@code fence}. */
    KubernetesClient connectController(RequestCounter counter, WriteFence fence) throws IOException {
        return KubeConnector.forController(KubeConnector.config(kubeconfig, context), counter, fence);
    }

    ApplyOptions applyOptions() {
        return new ApplyOptions(fieldManager, forceConflicts, concurrency, Duration.ofSeconds(crdTimeoutSeconds), adopt,
                Duration.ofSeconds(replaceTimeoutSeconds));
    }

    PrunePolicy prunePolicy() {
        return new PrunePolicy(pruneNamespaces, pruneCrds, prunePvcs);
    }
}
