package dev.dmreconciler.bundles;

import static dev.dmreconciler.bundles.BundleCluster.changedLines;
import static dev.dmreconciler.bundles.BundleCluster.only;
import static dev.dmreconciler.bundles.BundleCluster.outcomes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.diff.ObjectDiff;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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

/** The geddes-app bundle's example environment on a real API server, changed as a user would change it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeddesAppIT {

    private static final String ENV = "geddes-app";
    private static final String NS = "geddes-lab";
    private static BundleCluster cluster;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = BundleCluster.start(dir, "geddes-app.yaml");
        cluster.namespace(NS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void withoutTheRegistryCredentialNothingIsApplied() {
        ApplyReport report = cluster.apply(ENV);
        assertFalse(report.succeeded(), report.toText());
        assertTrue(report.toText().contains("Secret " + NS + "/geddes-registry"), report.toText());
        assertTrue(report.toText().contains("precondition failed: PersistentVolumeClaim " + NS + "/shiny-data does not exist "
                + "(required by application geddes-app, instance shiny, environment geddes-app; templates/geddes-app/bundle.yaml:"),
                "the existing claim to mount is required too:\n" + report.toText());
        assertFalse(report.toText().contains("operator"), "a geddes report does not speak of an operator:\n" + report.toText());
        assertNull(cluster.admin.apps().deployments().inNamespace(NS).withName("shiny").get());
        assertNull(cluster.admin.services().inNamespace(NS).withName("shiny").get());
        // the user's data claim, made before (never in git)
        cluster.admin.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("shiny-data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                .endResources().endSpec().build()).create();
    }

    @Test
    @Order(2)
    void appliesTheDeploymentAndTheLoadBalancerWithItsAddressPool() {
        cluster.secret(NS, "geddes-registry", "kubernetes.io/dockerconfigjson",
                Map.of(".dockerconfigjson", "{\"auths\":{\"geddes-registry.rcac.purdue.edu\":{\"auth\":\"eDp5\"}}}"));
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("created", 2L), outcomes(report), report.toText());

        Service service = cluster.admin.services().inNamespace(NS).withName("shiny").get();
        assertEquals("LoadBalancer", service.getSpec().getType());
        assertEquals("geddes-public-pool", service.getMetadata().getAnnotations().get("metallb.universe.tf/address-pool"));
        assertEquals(80, service.getSpec().getPorts().get(0).getPort());
        assertEquals(8080, service.getSpec().getPorts().get(0).getTargetPort().getIntVal());
        assertEquals("TCP", service.getSpec().getPorts().get(0).getProtocol());

        Deployment deployment = cluster.admin.apps().deployments().inNamespace(NS).withName("shiny").get();
        assertEquals(1, deployment.getSpec().getReplicas());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals("geddes-registry", pod.getImagePullSecrets().get(0).getName());
        assertEquals("geddes-registry.rcac.purdue.edu/example-lab/shiny-app:1.4.2", pod.getContainers().get(0).getImage());
        assertEquals(List.of("R", "-e", "shiny::runApp('/srv/app', host = '0.0.0.0', port = 8080)"),
                pod.getContainers().get(0).getCommand());
        assertEquals("shiny-data", pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals("/srv/data", pod.getContainers().get(0).getVolumeMounts().get(0).getMountPath());
        assertEquals(service.getSpec().getSelector(), deployment.getSpec().getSelector().getMatchLabels(),
                "the Service selects the Deployment's pods");
    }

    @Test
    @Order(3)
    void secondApplyWritesNothing() {
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("unchanged", 2L), outcomes(report), report.toText());
        assertEquals(0, cluster.counter.writes(), cluster.counter.snapshot().toString());
    }

    @Test
    @Order(4)
    void anotherAddressPoolIsDiffedThenApplied() {
        cluster.write("geddes-app.yaml", BundleCluster.example("geddes-app.yaml")
                .replace("geddes_address_pool: geddes-public-pool", "geddes_address_pool: geddes-private-pool"));
        ObjectDiff diff = only(cluster.diff(ENV));
        assertEquals("Service " + NS + "/shiny", diff.key().toString());
        assertEquals(List.of("-    metallb.universe.tf/address-pool: geddes-public-pool",
                "+    metallb.universe.tf/address-pool: geddes-private-pool"), changedLines(diff));
        assertEquals("geddes-public-pool", cluster.admin.services().inNamespace(NS).withName("shiny").get()
                .getMetadata().getAnnotations().get("metallb.universe.tf/address-pool"), "the diff wrote nothing");

        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("configured", 1L, "unchanged", 1L), outcomes(report), report.toText());
        assertEquals("geddes-private-pool", cluster.admin.services().inNamespace(NS).withName("shiny").get()
                .getMetadata().getAnnotations().get("metallb.universe.tf/address-pool"));
    }

    @Test
    @Order(5)
    void aRegistryCredentialKeptElsewhereIsCopiedIntoAnInstancesNamespace() {
        String config = "{\"auths\":{\"geddes-registry.rcac.purdue.edu\":{\"auth\":\"Y29weTpjb3B5LXBhc3N3b3JkLTcx\"}}}";
        cluster.namespace("registry");
        cluster.namespace("geddes-copy");
        cluster.secret("registry", "geddes-registry", "kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson", config));
        cluster.admin.secrets().inNamespace("registry").withName("geddes-registry").edit(s -> {
            s.getMetadata().setAnnotations(Map.of("dm-reconciler.dev/copy-to", "geddes-*"));
            return s;
        });
        cluster.write("geddes-app.yaml", BundleCluster.example("geddes-app.yaml") + """
                      copied:
                        namespace: geddes-copy
                        values:
                          geddes_address_pool: geddes-public-pool
                          geddes_image_pull_secret_source_namespace: registry
                """);
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertTrue(report.toText().contains("created Secret geddes-copy/geddes-registry"), report.toText());
        var copy = cluster.admin.secrets().inNamespace("geddes-copy").withName("geddes-registry").get();
        assertEquals("kubernetes.io/dockerconfigjson", copy.getType());
        assertEquals(config, new String(java.util.Base64.getDecoder().decode(copy.getData().get(".dockerconfigjson")),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("geddes-registry", cluster.admin.apps().deployments().inNamespace("geddes-copy").withName("copied").get()
                .getSpec().getTemplate().getSpec().getImagePullSecrets().get(0).getName());
        assertFalse(report.toText().contains("Y29weTpjb3B5LXBhc3N3b3JkLTcx") || report.toText().contains("copy-password-71"),
                report.toText());
    }
}
