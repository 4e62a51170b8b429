package dev.dmreconciler.apply;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Renders an environment of a test repository and applies it, counting requests, as the CLI does. */
final class ApplyHarness {

    final RequestCounter counter = new RequestCounter();
    private final KubernetesClient client;
    private ApplyOptions options = ApplyOptions.defaults();
    private PrunePolicy prunePolicy = PrunePolicy.SAFE;

    ApplyHarness(dev.dmreconciler.RealApiServer server) {
        this.client = server.client(counter);
    }

    ApplyHarness options(ApplyOptions options) {
        this.options = options;
        return this;
    }

    ApplyHarness prunePolicy(PrunePolicy prunePolicy) {
        this.prunePolicy = prunePolicy;
        return this;
    }

    KubernetesClient client() {
        return client;
    }

    static DesiredState render(TestRepo repo, String environmentName) {
        return Renderer.renderNamed(repo.open(), environmentName);
    }

    /**
     * Applies as the CLI does (what the repository's other environments of the cluster want is never pruned) and
     * returns the report; {@link #counter} holds this pass's requests only.
     */
    ApplyReport apply(TestRepo repo, String environmentName) {
        dev.dmreconciler.params.ConfigRepo config = repo.open();
        DesiredState desired = Renderer.renderNamed(config, environmentName);
        dev.dmreconciler.plan.Wanted elsewhere = dev.dmreconciler.plan.Wanted.elsewhere(config, desired.environment());
        counter.reset();
        return new ApplyPass(client, options, prunePolicy, "dm-reconciler").run(desired, null, () -> true, elsewhere);
    }
}
