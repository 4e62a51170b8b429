package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.kube.KubeConnector;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.status.Metrics;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unreachable git remote or API server is reported and retried; the process keeps serving. */
class DegradationTest {

    @TempDir
    Path dir;

    private Controller controller(String repository, KubernetesClient client, ByteArrayOutputStream log) {
        Controller.Settings settings = new Controller.Settings(repository, "branch", "main", Set.of(), "default",
                Duration.ofMillis(300), Duration.ofHours(1), ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler", false,
                "dm-reconciler", "lease", "test", dir.resolve("cache"), GitAuth.NONE);
        return new Controller(settings, client, new Metrics(), new Log(new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    private static KubernetesClient deadApiServer() {
        var config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(500).build();
        return KubeConnector.connect(config, new RequestCounter(), 0);
    }

    @Test
    void anUnreachableRemoteIsReportedAndBackedOff() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (KubernetesClient client = deadApiServer();
             Controller controller = controller("https://user:token@127.0.0.1:1/environments.git", client, log)) {
            controller.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (controller.status().get("fetchError") == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Map<String, Object> status = controller.status();
            assertFalse(controller.ready(), "not ready before a fetch succeeded");
            assertNotNull(status.get("fetchError"));
            assertFalse(status.toString().contains("token"), "credentials never reach the status: " + status);
            assertFalse(log.toString(StandardCharsets.UTF_8).contains("token"), "nor the logs");
            Thread.sleep(1500);
            long attempts = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("git fetch failed")).count();
            assertTrue(attempts >= 1 && attempts <= 4, "backed off (0.3 s, 0.6 s, 1.2 s …), not every 0.3 s: " + attempts);
        }
    }

    @Test
    void anUnreachableApiServerFailsThePassAndIsRetriedWithoutCrashing() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"))
                .write("environments/env.yaml", "jo_image_tag: 1.0.0\njo_dmapi_namespace: dm\n");
        PersonIdent author = new PersonIdent("Test", "test@example.org");
        try (Git git = Git.init().setDirectory(repo.root().toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("env").setAuthor(author).setCommitter(author).call();
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (KubernetesClient client = deadApiServer();
             Controller controller = controller(repo.root().toString(), client, log)) {
            controller.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (countFailures(log) < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(controller.ready(), "git works, so the process is ready");
            assertTrue(countFailures(log) >= 2, "the failed pass was retried:\n" + log);
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) controller.status().get("environments")).get("env");
            assertTrue(String.valueOf(env.get("error")).startsWith("reconcile failed"), env.toString());
            assertEquals(null, env.get("lastSuccess"));
        }
    }

    private static long countFailures(ByteArrayOutputStream log) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("reconcile failed")).count();
    }
}
