package dev.dmreconciler.bundles;

import static dev.dmreconciler.bundles.BundleCluster.outcomes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.diff.ObjectDiff;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * MAIAKubeGate user instances, one JSON (or YAML) config file each, on a real API server: the README's
 * example rendered from its file alone, GPUs as quantities, a Job whose spec changes (replaced), a Job that
 * has run (never started again), and an instance file removed (its objects pruned, its volumes kept).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaiaKubeGateIT {

    private static final String ENV = "maiakubegate";
    private static final String NS = "machine-learning";
    private static BundleCluster cluster;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = BundleCluster.start(dir, "maiakubegate.yaml", "maiakubegate");
        cluster.namespace(NS);
        // what the user has made before: Secrets (never in git) and a shared claim
        cluster.secret(NS, "wandb-credentials", "Opaque", Map.of("WANDB_API_KEY", "not-a-real-key"));
        cluster.secret(NS, "viewer-settings", "Opaque", Map.of("VIEWER_TOKEN", "not-a-real-token"));
        cluster.admin.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("shared-datasets").endMetadata().withNewSpec().withAccessModes("ReadOnlyMany")
                .withNewResources().addToRequests("storage", new Quantity("1Ti")).endResources().endSpec().build()).create();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theReadmesJsonConfigRendersUnchanged() throws IOException {
        Path config = Files.copy(TestRepo.projectRoot().resolve("environments/maiakubegate/jupyterlab-1-v1.json"),
                dir.resolve("config.json"));
        CliResult result = cluster.repo.cli("render", "--env-file", config.toString(), "--app", "maiakubegate");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        Map<String, Map<String, Object>> objects = new java.util.TreeMap<>();
        for (Object document : new Yaml().loadAll(result.out())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) document;
            objects.put(object.get("kind") + " " + path(object, "metadata", "name"), object);
        }
        assertEquals(List.of("Job jupyterlab-1-v1", "PersistentVolumeClaim jupyterlab-1-v1-claim-0", "Service jupyterlab-1-v1"),
                List.copyOf(objects.keySet()), result.out());
        Map<String, Object> job = objects.get("Job jupyterlab-1-v1");
        assertEquals(NS, path(job, "metadata", "namespace"));
        assertEquals(172800, path(job, "spec", "activeDeadlineSeconds"), "allocationTime \"2\" is two days");
        assertEquals(0, path(job, "spec", "backoffLimit"));
        assertEquals("Never", path(job, "spec", "template", "spec", "restartPolicy"));
        Map<String, Object> claim = objects.get("PersistentVolumeClaim jupyterlab-1-v1-claim-0");
        assertEquals("local-hostpath", path(claim, "spec", "storageClassName"));
        assertEquals("100Gi", path(claim, "spec", "resources", "requests", "storage"));
        assertEquals(List.of(Map.of("name", "jupyter", "protocol", "TCP", "port", 8888, "targetPort", 8888)),
                path(objects.get("Service jupyterlab-1-v1"), "spec", "ports"));
    }

    @Test
    @Order(2)
    void appliesEveryInstance() {
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("created", 12L), outcomes(report), report.toText());

        Job training = job("monai-training");
        assertEquals(3 * 3600L, training.getSpec().getActiveDeadlineSeconds(), "allocationTime 3h");
        Container container = training.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("1", container.getResources().getLimits().get("nvidia.com/gpu").toString(), "a JSON number 1 as a GPU quantity");
        assertEquals("8", container.getResources().getLimits().get("cpu").toString());
        assertEquals(container.getResources().getRequests().get("memory"), container.getResources().getLimits().get("memory"));
        assertEquals(Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB", "nvidia.com/gpu.memory", "40960"),
                training.getSpec().getTemplate().getSpec().getNodeSelector());
        assertEquals("WANDB_API_KEY", container.getEnv().stream().filter(e -> e.getValueFrom() != null).findFirst()
                .orElseThrow().getValueFrom().getSecretKeyRef().getKey());
        assertEquals("8", container.getEnv().stream().filter(e -> e.getName().equals("OMP_NUM_THREADS")).findFirst()
                .orElseThrow().getValue());
        assertEquals(List.of("/workspace", "/cache", "/datasets", "/workspace/config/train.yaml"),
                container.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());

        Service service = cluster.admin.services().inNamespace(NS).withName("monai-training").get();
        assertEquals("NodePort", service.getSpec().getType());
        assertEquals(Map.of("jupyter", 30888, "tensorboard", 30606), service.getSpec().getPorts().stream()
                .collect(Collectors.toMap(ServicePort::getName, ServicePort::getNodePort)));

        String trainConfig = cluster.admin.configMaps().inNamespace(NS).list().getItems().stream()
                .filter(c -> c.getData() != null && c.getData().containsKey("train-config.yaml")).findFirst().orElseThrow()
                .getData().get("train-config.yaml");
        assertTrue(trainConfig.contains("output_dir: ${HOME}/runs"), "the file's ${...} stays literal:\n" + trainConfig);

        Ingress nginx = cluster.admin.network().v1().ingresses().inNamespace(NS).withName("monai-training").get();
        assertEquals("https://oauth.maia.example.org/oauth2/auth",
                nginx.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/auth-url"));
        assertEquals("https://oauth.maia.example.org/oauth2/start?rd=$escaped_request_uri",
                nginx.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/auth-signin"));
        Ingress traefik = cluster.admin.network().v1().ingresses().inNamespace(NS).withName("segmentation-viewer").get();
        assertEquals("traefik", traefik.getSpec().getIngressClassName());
        assertEquals("machine-learning-oauth2-forward-auth@kubernetescrd",
                traefik.getMetadata().getAnnotations().get("traefik.ingress.kubernetes.io/router.middlewares"));

        var viewer = cluster.admin.apps().deployments().inNamespace(NS).withName("segmentation-viewer").get();
        assertEquals(Map.of("kubernetes.io/hostname", "worker-03"), viewer.getSpec().getTemplate().getSpec().getNodeSelector());
        assertEquals("viewer-settings", viewer.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
                .getSecretRef().getName());
        assertEquals(2, cluster.admin.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("monai-training-claim-")).count());
    }

    @Test
    @Order(3)
    void secondApplyWritesNothing() {
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("unchanged", 12L), outcomes(report), report.toText());
        assertEquals(0, cluster.counter.writes(), cluster.counter.snapshot().toString());
    }

    @Test
    @Order(4)
    void aNewImageTagReplacesTheImmutableJob() throws IOException {
        String file = "maiakubegate/monai-training.json";
        cluster.write(file, BundleCluster.example(file).replace("\"tag\": \"1.3.0\"", "\"tag\": \"1.3.1\""));
        ObjectDiff diff = BundleCluster.only(cluster.diff(ENV));
        assertEquals("Job.batch " + NS + "/monai-training", diff.key().toString());
        assertEquals(dev.dmreconciler.diff.ObjectDiff.Kind.REPLACE, diff.kind(), diff.note());
        assertTrue(diff.note().contains("spec.template"), diff.note());
        assertTrue(BundleCluster.changedLines(diff).contains("+        image: projectmonai/monai:1.3.1"), diff.unified());
        assertEquals("projectmonai/monai:1.3.0", image(job("monai-training")), "the diff wrote nothing");

        String uid = job("monai-training").getMetadata().getUid();
        ApplyReport report = cluster.apply(ENV); // no garbage collector runs here: the replacement must not need one
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("replaced", 1L, "unchanged", 11L), outcomes(report), report.toText());
        Job replaced = job("monai-training");
        assertEquals("projectmonai/monai:1.3.1", image(replaced));
        assertTrue(!uid.equals(replaced.getMetadata().getUid()), "a new Job, not a patched one");

        ApplyReport again = cluster.apply(ENV);
        assertEquals(0, cluster.counter.writes(), "converged after the replacement: " + again.toText());
    }

    @Test
    @Order(5)
    void aJobThatHasRunIsNotStartedAgain() {
        // what the Job controller and ttlSecondsAfterFinished do: the Job completes, then goes away
        Job finished = job("jupyterlab-1-v1");
        finished.setStatus(new JobStatusBuilder().withSucceeded(1).withStartTime("2026-11-21T10:00:00Z")
                .withCompletionTime("2026-11-21T12:00:00Z").withConditions(new JobConditionBuilder().withType("Complete")
                        .withStatus("True").build()).build());
        cluster.admin.batch().v1().jobs().inNamespace(NS).resource(finished).updateStatus();
        ApplyReport completed = cluster.apply(ENV);
        assertTrue(completed.succeeded(), completed.toText());
        assertEquals(0, cluster.counter.writes(), "a completed Job is left alone: " + completed.toText());

        cluster.admin.batch().v1().jobs().inNamespace(NS).withName("jupyterlab-1-v1").delete();
        awaitGone("jupyterlab-1-v1");
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertNull(cluster.admin.batch().v1().jobs().inNamespace(NS).withName("jupyterlab-1-v1").get(),
                "a two-day allocation that has run is not restarted:\n" + report.toText());
        cluster.apply(ENV);
        assertNull(cluster.admin.batch().v1().jobs().inNamespace(NS).withName("jupyterlab-1-v1").get(), "nor on the next pass");
    }

    @Test
    @Order(6)
    void removingAnInstanceFilePrunesItButKeepsItsVolume() throws IOException {
        Files.delete(cluster.repo.root().resolve("environments/maiakubegate/jupyterlab-1-v1.json"));
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertNull(cluster.admin.services().inNamespace(NS).withName("jupyterlab-1-v1").get(), report.toText());
        assertNotNull(cluster.admin.persistentVolumeClaims().inNamespace(NS).withName("jupyterlab-1-v1-claim-0").get(),
                "the user's home volume stays (lifecycle keep):\n" + report.toText());
        assertNotNull(cluster.admin.services().inNamespace(NS).withName("monai-training").get(), "other instances stay");
    }

    @Test
    @Order(7)
    void anInstanceWhoseUserSecretsOrClaimsAreMissingIsSkippedNamingThem() throws IOException {
        cluster.write("maiakubegate/needs-secrets.json", """
                {"namespace": "machine-learning", "chart_name": "needs-secrets", "docker_image": "busybox", "tag": "1",
                 "allocationTime": "1h", "memory_request": "1Gi", "cpu_request": "1",
                 "user_secret": ["wandb-credentials", "team-token"],
                 "existing_persistent_volume": [{"name": "shared-datasets", "mountPath": "/d"}, {"name": "team-scratch", "mountPath": "/s"}]}
                """);
        ApplyReport report = cluster.apply(ENV);
        assertTrue(!report.succeeded(), report.toText());
        String text = report.toText();
        assertTrue(text.contains("skipped Job.batch machine-learning/needs-secrets: precondition failed: Secret "
                + "machine-learning/team-token does not exist (required by application maiakubegate, instance needs-secrets, "
                + "environment maiakubegate; templates/maiakubegate/bundle.yaml:"), text);
        assertNull(job("needs-secrets"), text);
        assertTrue(report.results().stream().filter(r -> !r.change().key().name().startsWith("needs-secrets"))
                .allMatch(r -> r.outcome() == dev.dmreconciler.plan.Outcome.UNCHANGED), "other instances go on:\n" + text);

        cluster.secret(NS, "team-token", "Opaque", Map.of("TOKEN", "not-a-real-token"));
        ApplyReport still = cluster.apply(ENV);
        assertTrue(still.toText().contains("precondition failed: PersistentVolumeClaim machine-learning/team-scratch does not exist"),
                still.toText());
        cluster.admin.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("team-scratch").endMetadata().withNewSpec().withAccessModes("ReadWriteMany")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        ApplyReport ready = cluster.apply(ENV);
        assertTrue(ready.succeeded(), ready.toText());
        assertNotNull(job("needs-secrets"), ready.toText());
    }

    private static Job job(String name) {
        return cluster.admin.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    private static String image(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static void awaitGone(String job) {
        for (int i = 0; i < 100 && job(job) != null; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> object, String... keys) {
        Object current = object;
        List<String> walked = new ArrayList<>();
        for (String key : keys) {
            walked.add(key);
            assertNotNull(current, "missing " + String.join(".", walked));
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }
}
