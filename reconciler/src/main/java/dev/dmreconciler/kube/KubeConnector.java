package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds API clients: from a kubeconfig file and optional context, or the usual discovery (KUBECONFIG,
 * ~/.kube/config, in-cluster service account). Every client counts its requests; 429 and 5xx answers are
 * retried with exponential backoff, and a 429's Retry-After is waited out ({@link RetryAfter}).
 */
public final class KubeConnector {

    private KubeConnector() {
    }

    public static KubernetesClient connect(Path kubeconfig, String context, RequestCounter counter) throws IOException {
        Config config;
        if (kubeconfig != null) {
            config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        } else {
            config = Config.autoConfigure(context);
        }
        return connect(config, counter);
    }

    public static KubernetesClient connect(Config config, RequestCounter counter) {
        return connect(config, counter, 6);
    }

    /** @param retries how often a failed request (5xx, 429, connection error) is retried, backing off from 250 ms */
    public static KubernetesClient connect(Config config, RequestCounter counter, int retries) {
        config.setRequestRetryBackoffLimit(retries);
        config.setRequestRetryBackoffInterval(250);
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("request-counter", counter)
                        .addOrReplaceInterceptor("retry-after", new RetryAfter(counter)))
                .build();
    }
}
