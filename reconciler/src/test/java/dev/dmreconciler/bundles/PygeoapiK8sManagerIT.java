package dev.dmreconciler.bundles;

import static dev.dmreconciler.bundles.BundleCluster.outcomes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.diff.EnvironmentDiff;
import dev.dmreconciler.diff.ObjectDiff;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pygeoapi-k8s-manager example on a real API server: the seven objects and the two Secrets it makes from
 * its sops-encrypted shared file (token, log bucket keys), the literal ${...} text of its
 * configuration, a configuration change that rolls the pod, a namespace move whose precondition fails, and
 * the Jobs and Pods the manager creates at runtime, which are never the reconciler's to prune.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PygeoapiK8sManagerIT {

    private static final String ENV = "pygeoapi-k8s-manager";
    private static final String FILE = "pygeoapi-k8s-manager.yaml";
    private static final String NS = "geo";
    private static final String NAME = "geo-main";
    private static BundleCluster cluster;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        // the token and bucket keys are in a sops file encrypted for the public test age key
        dev.dmreconciler.secrets.SecretKeys.install(dev.dmreconciler.secrets.Fixtures.keys());
        cluster = BundleCluster.start(dir, FILE, "shared/pygeoapi-secrets.sops.yaml");
        cluster.namespace(NS);
    }

    @AfterAll
    static void stop() {
        dev.dmreconciler.secrets.SecretKeys.install(dev.dmreconciler.secrets.SecretKeys.NONE);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void appliesTheSevenObjectsAndTheSecretsFromTheSopsFile() {
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("created", 9L), outcomes(report), report.toText());
        var token = cluster.admin.secrets().inNamespace(NS).withName("k8s-job-manager").get();
        assertEquals(TOKEN, decoded(token.getData().get("token")));
        var finalizer = cluster.admin.secrets().inNamespace(NS).withName("k8s-job-manager-log-finalizer").get();
        assertEquals(java.util.Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "LOG_BUCKET"), finalizer.getData().keySet());
        assertEquals(BUCKET_KEY, decoded(finalizer.getData().get("AWS_SECRET_ACCESS_KEY")));
        String text = report.toText() + report.toJson();
        assertFalse(text.contains(TOKEN) || text.contains(BUCKET_KEY) || text.contains(encoded(TOKEN)), text);

        RoleBinding binding = cluster.admin.rbac().roleBindings().inNamespace(NS).withName(NAME).get();
        assertEquals(NS, binding.getSubjects().get(0).getNamespace(), "the subject follows the target namespace");
        assertEquals(NAME, binding.getSubjects().get(0).getName());

        String config = cluster.admin.configMaps().inNamespace(NS).withName(NAME + "-config").get().getData()
                .get("local.config.yml");
        assertTrue(config.contains("url: ${PYGEOAPI_SERVER_URL}"), "pygeoapi's own ${...} stays literal:\n" + config);
        assertTrue(config.contains("home_dir: ${HOME}"), config);
        assertTrue(config.contains("name: pygeoapi_k8s_manager.manager.KubernetesManager"), config);

        Deployment deployment = cluster.admin.apps().deployments().inNamespace(NS).withName(NAME).get();
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
        assertNotNull(deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config"));
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("k8s-job-manager", container.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());
        assertEquals("k8s-job-manager-log-finalizer", container.getEnvFrom().get(0).getSecretRef().getName());
        assertEquals("local.config.yml", container.getVolumeMounts().get(0).getSubPath());

        var ingress = cluster.admin.network().v1().ingresses().inNamespace(NS).withName(NAME).get();
        assertEquals("geo.example.org", ingress.getSpec().getRules().get(0).getHost());
        assertEquals("geo-example-org-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals("letsencrypt-prod", ingress.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer"));
        assertEquals(80, cluster.admin.services().inNamespace(NS).withName(NAME).get().getSpec().getPorts().get(0).getPort());
    }

    @Test
    @Order(2)
    void theJobsTheManagerRunsAreNotTheReconcilers() {
        // what pygeoapi does at runtime: a Job per process execution, and its Pod
        cluster.admin.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata()
                .withName("pygeoapi-job-1").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .withRestartPolicy("Never").addNewContainer().withName("process").withImage("busybox:1.36").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        cluster.admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("pygeoapi-job-1-abcde")
                .addToLabels("job-name", "pygeoapi-job-1").endMetadata().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("process").withImage("busybox:1.36").endContainer().endSpec().build()).create();

        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("unchanged", 9L), outcomes(report), report.toText());
        assertEquals(0, cluster.counter.writes(), "second apply: " + cluster.counter.snapshot());
        String inventories = new dev.dmreconciler.inventory.InventoryStore(cluster.admin, BundleCluster.INVENTORY_NAMESPACE,
                "dm-reconciler").loadAll("pygeoapi-k8s-manager").values().stream().map(i -> i.entries().keySet().toString())
                .toList().toString();
        assertTrue(inventories.contains(NAME + "-config"), "the inventory lists the bundle's objects: " + inventories);
        assertFalse(inventories.contains("pygeoapi-job-1"), "runtime Jobs and Pods are not in the inventory: " + inventories);
    }

    @Test
    @Order(3)
    void aConfigurationChangeIsDiffedAndRollsThePod() {
        String before = checksum();
        cluster.write(FILE, BundleCluster.example(FILE).replace("pk_ingress_tls_secret: geo-example-org-tls",
                "pk_ingress_tls_secret: geo-example-org-tls\n          pk_config: {logging: {level: DEBUG}}"));
        EnvironmentDiff diff = cluster.diff(ENV);
        assertTrue(diff.errors().isEmpty(), diff.errors().toString());
        assertEquals(List.of("ConfigMap " + NS + "/" + NAME + "-config", "Deployment.apps " + NS + "/" + NAME),
                diff.objects().stream().map(o -> o.key().toString()).sorted().toList());
        ObjectDiff configDiff = diff.objects().stream().filter(o -> o.key().kind().equals("ConfigMap")).findFirst().orElseThrow();
        assertEquals(List.of("-      level: INFO", "+      level: DEBUG"), BundleCluster.changedLines(configDiff),
                "a deep merge: only the level changes, the rest of the configuration stays\n" + configDiff.unified());
        assertEquals(before, checksum(), "the diff wrote nothing");

        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("configured", 2L, "unchanged", 7L), outcomes(report), report.toText());
        assertNotEquals(before, checksum(), "a configuration change rolls the pod");
        assertTrue(cluster.admin.configMaps().inNamespace(NS).withName(NAME + "-config").get().getData()
                .get("local.config.yml").contains("level: DEBUG"));
    }

    @Test
    @Order(4)
    void movingToANamespaceWhosePreconditionFailsKeepsTheOldObjects() {
        // geo-new does not exist yet (the Secrets would be made there: only the namespace's precondition can fail)
        cluster.write(FILE, BundleCluster.example(FILE).replace("namespace: geo\n", "namespace: geo-new\n"));
        ApplyReport report = cluster.apply(ENV);
        assertFalse(report.succeeded(), report.toText());
        assertTrue(report.toText().contains("namespace geo-new does not exist"), report.toText());
        assertNotNull(cluster.admin.apps().deployments().inNamespace(NS).withName(NAME).get(),
                "nothing was deleted in the old namespace while the new one cannot be applied:\n" + report.toText());
        var admin = cluster.admin;
        List<Object> old = java.util.Arrays.asList(admin.serviceAccounts().inNamespace(NS).withName(NAME).get(),
                admin.rbac().roles().inNamespace(NS).withName(NAME).get(),
                admin.rbac().roleBindings().inNamespace(NS).withName(NAME).get(),
                admin.configMaps().inNamespace(NS).withName(NAME + "-config").get(),
                admin.services().inNamespace(NS).withName(NAME).get(),
                admin.apps().deployments().inNamespace(NS).withName(NAME).get(),
                admin.network().v1().ingresses().inNamespace(NS).withName(NAME).get());
        assertEquals(7, old.stream().filter(java.util.Objects::nonNull).count(), "the old instance is intact");
        assertNull(cluster.admin.apps().deployments().inNamespace("geo-new").withName(NAME).get());
        cluster.write(FILE, BundleCluster.example(FILE));
    }

    @Test
    @Order(5)
    void absentRemovesTheBundlesObjectsButNeverTheRuntimeJobs() {
        cluster.write(FILE, BundleCluster.example(FILE).replace("    values:\n      pk_image_tag",
                "    state: absent\n    values:\n      pk_image_tag"));
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertNull(cluster.admin.apps().deployments().inNamespace(NS).withName(NAME).get(), report.toText());
        assertNull(cluster.admin.rbac().roles().inNamespace(NS).withName(NAME).get(), report.toText());
        assertNotNull(cluster.admin.batch().v1().jobs().inNamespace(NS).withName("pygeoapi-job-1").get(),
                "a Job the manager ran is never pruned");
        assertNotNull(cluster.admin.pods().inNamespace(NS).withName("pygeoapi-job-1-abcde").get(),
                "nor its Pod");
    }

    private static final String TOKEN = "example-job-manager-token-3c9f1e7a";
    private static final String BUCKET_KEY = "example/LogBucketSecretKey/9d2Fq4Xz";

    private static String decoded(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String encoded(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String checksum() {
        return cluster.admin.apps().deployments().inNamespace(NS).withName(NAME).get().getSpec().getTemplate()
                .getMetadata().getAnnotations().get("checksum/config");
    }
}
