package dev.dmreconciler.bundles;

import static dev.dmreconciler.bundles.BundleCluster.changedLines;
import static dev.dmreconciler.bundles.BundleCluster.only;
import static dev.dmreconciler.bundles.BundleCluster.outcomes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.diff.ObjectDiff;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
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
 * The cellxgene platform example on a real API server: a Service in ingress-nginx's namespace behind a
 * precondition, secrets only by reference, and SingleUserInstances (made by the portal) that neither a
 * change nor {@code state: absent} touches.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CellxgeneIT {

    private static final String ENV = "cellxgene";
    private static final String NS = "cellxgene";
    private static final ResourceDefinitionContext SUI = new ResourceDefinitionContext.Builder().withGroup("cnag.eu")
            .withVersion("v1").withKind("SingleUserInstance").withPlural("singleuserinstances").withNamespaced(true).build();
    private static BundleCluster cluster;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = BundleCluster.start(dir, "cellxgene.yaml");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void withoutIngressNginxNothingIsApplied() {
        cluster.namespace(NS);
        cluster.secret(NS, "oauth2-proxy", "Opaque", Map.of("client-secret", "not-real", "cookie-secret", "0123456789abcdef"));
        cluster.secret(NS, "aws-credentials", "Opaque", Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "not-real"));
        ApplyReport report = cluster.apply(ENV);
        assertFalse(report.succeeded(), report.toText());
        assertTrue(report.toText().toLowerCase(java.util.Locale.ROOT).contains("namespace ingress-nginx does not exist"), report.toText());
        assertNull(cluster.admin.apiextensions().v1().customResourceDefinitions().withName("singleuserinstances.cnag.eu").get(),
                "nothing applied: " + report.toText());
        assertNull(cluster.admin.apps().deployments().inNamespace(NS).withName("sui-operator").get());
    }

    @Test
    @Order(2)
    void appliesThePlatform() {
        cluster.namespace("ingress-nginx");
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("adopted", 1L, "created", 9L), outcomes(report),
                "the administrator's namespace is adopted (it asks for it), the rest created:\n" + report.toText());

        var crd = cluster.admin.apiextensions().v1().customResourceDefinitions().withName("singleuserinstances.cnag.eu").get();
        assertEquals("SingleUserInstance", crd.getSpec().getNames().getKind());
        assertEquals(List.of("sui", "suis"), crd.getSpec().getNames().getShortNames());
        assertEquals("Namespaced", crd.getSpec().getScope());
        var spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertEquals("integer", spec.getProperties().get("lifespan").getType());
        for (String embedded : List.of("deployment", "service", "ingress")) {
            assertTrue(spec.getProperties().get(embedded).getXKubernetesPreserveUnknownFields(), embedded);
        }

        Deployment operator = cluster.admin.apps().deployments().inNamespace(NS).withName("sui-operator").get();
        assertEquals("Recreate", operator.getSpec().getStrategy().getType());
        assertEquals("sui-operator", operator.getSpec().getSelector().getMatchLabels().get("application"));
        PodSecurityContext security = operator.getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(List.of(1000L, 1000L, 1000L), List.of(security.getRunAsUser(), security.getRunAsGroup(), security.getFsGroup()));
        Container op = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("256Mi", op.getResources().getLimits().get("memory").toString());
        assertEquals("500m", op.getResources().getLimits().get("cpu").toString());
        assertEquals(List.of("K8_SUI_OP_TICK", "K8_SUI_OP_TO_UNVIS"), op.getEnv().stream().map(e -> e.getName()).toList());
        assertEquals("aws-credentials", op.getEnvFrom().get(0).getSecretRef().getName());

        Service metrics = cluster.admin.services().inNamespace("ingress-nginx").withName("metrics").get();
        assertEquals(80, metrics.getSpec().getPorts().get(0).getPort());
        assertEquals(10254, metrics.getSpec().getPorts().get(0).getTargetPort().getIntVal());
        assertEquals("TCP", metrics.getSpec().getPorts().get(0).getProtocol());

        Container proxy = cluster.admin.apps().deployments().inNamespace(NS).withName("oauth2-proxy").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0);
        String proxyText = Serialization.asYaml(proxy);
        assertFalse(proxyText.contains("not-real") || proxyText.contains("0123456789abcdef"), "no secret value in the pod spec");
        assertFalse(proxy.getArgs().stream().anyMatch(a -> a.contains("secret")), proxy.getArgs().toString());
        assertEquals(Map.of("OAUTH2_PROXY_CLIENT_SECRET", "client-secret", "OAUTH2_PROXY_COOKIE_SECRET", "cookie-secret"),
                proxy.getEnv().stream().filter(e -> e.getValueFrom() != null).collect(java.util.stream.Collectors.toMap(
                        e -> e.getName(), e -> e.getValueFrom().getSecretKeyRef().getKey())));
        assertNotNull(cluster.admin.network().v1().ingresses().inNamespace(NS).withName("oauth2-proxy").get());
        assertNotNull(cluster.admin.services().inNamespace(NS).withName("oauth2-proxy").get());
    }

    @Test
    @Order(3)
    void secondApplyWritesNothingEvenWithAUserInstanceRunning() {
        cluster.admin.genericKubernetesResources(SUI).inNamespace(NS).resource(userInstance()).create();
        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("unchanged", 10L), outcomes(report), report.toText());
        assertEquals(0, cluster.counter.writes(), cluster.counter.snapshot().toString());
    }

    @Test
    @Order(4)
    void aTickChangeIsDiffedThenApplied() {
        cluster.write("cellxgene.yaml", BundleCluster.example("cellxgene.yaml")
                .replace("cxg_operator_image_tag: 1.2.0", "cxg_operator_image_tag: 1.2.0\n      cxg_operator_tick: '30'"));
        ObjectDiff diff = only(cluster.diff(ENV));
        assertEquals("Deployment.apps " + NS + "/sui-operator", diff.key().toString());
        assertEquals(List.of("-          value: '60'", "+          value: '30'"), changedLines(diff), diff.unified());

        ApplyReport report = cluster.apply(ENV);
        assertTrue(report.succeeded(), report.toText());
        assertEquals(Map.of("configured", 1L, "unchanged", 9L), outcomes(report), report.toText());
        assertEquals("30", cluster.admin.apps().deployments().inNamespace(NS).withName("sui-operator").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValue());
    }

    @Test
    @Order(5)
    void absentLeavesTheUserInstanceAndItsNamespace() {
        cluster.write("cellxgene.yaml", BundleCluster.example("cellxgene.yaml")
                .replace("  cellxgene:\n    values:", "  cellxgene:\n    state: absent\n    values:"));
        ApplyReport report = cluster.apply(ENV);
        assertNull(cluster.admin.apps().deployments().inNamespace(NS).withName("sui-operator").get(), report.toText());
        assertNull(cluster.admin.services().inNamespace("ingress-nginx").withName("metrics").get(), report.toText());
        assertNotNull(cluster.admin.genericKubernetesResources(SUI).inNamespace(NS).withName("alice-pbmc3k").get(),
                "a user's SingleUserInstance is never the reconciler's to delete:\n" + report.toText());
        Namespace namespace = cluster.admin.namespaces().withName(NS).get();
        assertNotNull(namespace);
        assertNull(namespace.getMetadata().getDeletionTimestamp(),
                "a namespace that holds a user's instance is not deleted:\n" + report.toText());
        assertNotNull(cluster.admin.namespaces().withName("ingress-nginx").get(), "ingress-nginx is not the application's");
        assertNotNull(cluster.admin.apiextensions().v1().customResourceDefinitions().withName("singleuserinstances.cnag.eu").get(),
                "the CRD stays without --prune-crds");
    }

    private static GenericKubernetesResource userInstance() {
        return Serialization.unmarshal("""
                apiVersion: cnag.eu/v1
                kind: SingleUserInstance
                metadata:
                  name: alice-pbmc3k
                  namespace: cellxgene
                spec:
                  lifespan: 3600
                  deployment:
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: alice-pbmc3k}
                  service:
                    apiVersion: v1
                    kind: Service
                    metadata: {name: alice-pbmc3k}
                  ingress:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: alice-pbmc3k}
                """, GenericKubernetesResource.class);
    }
}
