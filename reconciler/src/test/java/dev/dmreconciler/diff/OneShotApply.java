package dev.dmreconciler.diff;

import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.kube.KubeConnector;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.source.DirectoryTree;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** A one-shot apply as the CLI does it, called in {@link OtherProcess} (hence public, with plain arguments). */
public final class OneShotApply {

    private OneShotApply() {
    }

    public static String run(String kubeconfig, String repo, String environment, String vaultPasswordFile) {
        SecretKeys.install(new SecretKeys(Path.of(vaultPasswordFile), null, null));
        try (KubernetesClient client = KubeConnector.connect(Config.fromKubeconfig(kubeconfig), new RequestCounter())) {
            ConfigRepo config = new ConfigRepo(new DirectoryTree(Path.of(repo)), System::getenv);
            DesiredState desired = Renderer.renderNamed(config, environment);
            return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                    .run(desired, null, () -> true, Wanted.elsewhere(config, desired.environment())).toText();
        } finally {
            SecretKeys.install(SecretKeys.NONE);
        }
    }
}
