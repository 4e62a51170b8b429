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
 * precondition, the oauth2-proxy Secret made from inline vault values, the AWS credentials copied from the
 * administrator's Secret into the two namespaces that need them (and following it when it changes), and
 * SingleUserInstances (made by the portal) that neither a change nor {@code state: absent} touches.
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

    private static final String CLIENT_SECRET = "example-oauth-client-secret-7f3a9c";
    private static final String COOKIE_SECRET = "exampleCookieSecret32bytes-Q7x9Z";
    private static final String AWS_KEY = "aws-secret-key-for-cellxgene-5b7d";
    private static final String AWS_ROTATED = "aws-rotated-key-for-cellxgene-8e2c";

    @BeforeAll
    static void start() {
        // the example's inline vault values are encrypted with the public test vault password
        dev.dmreconciler.secrets.SecretKeys.install(dev.dmreconciler.secrets.Fixtures.keys());
        cluster = BundleCluster.start(dir, "cellxgene.yaml");
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
    void withoutIngressNginxNothingIsApplied() {
        cluster.namespace(NS);
        cluster.namespace("cellxgene-portal");
        cluster.namespace("aws-system");
        cluster.secret("aws-system", "aws-credentials", "Opaque", Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", AWS_KEY));
        // its owner allows the copies (the environment alone cannot)
        cluster.admin.secrets().inNamespace("aws-system").withName("aws-credentials").edit(s -> {
            s.getMetadata().setAnnotations(Map.of("dm-reconciler.dev/copy-to", "cellxgene, cellxgene-portal"));
            return s;
        });
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
        assertEquals(Map.of("adopted", 1L, "created", 12L), outcomes(report),
                "the administrator's namespace is adopted (it asks for it), the rest created:\n" + report.toText());
        var proxySecret = cluster.admin.secrets().inNamespace(NS).withName("oauth2-proxy").get();
        assertEquals(CLIENT_SECRET, decoded(proxySecret.getData().get("client-secret")), "from the inline vault value");
        assertEquals(COOKIE_SECRET, decoded(proxySecret.getData().get("cookie-secret")));
        for (String ns : List.of(NS, "cellxgene-portal")) {
            var aws = cluster.admin.secrets().inNamespace(ns).withName("aws-credentials").get();
            assertEquals(AWS_KEY, decoded(aws.getData().get("AWS_SECRET_ACCESS_KEY")), "copied into " + ns);
            assertEquals("aws-system/aws-credentials", aws.getMetadata().getAnnotations().get("dm-reconciler.dev/copy-of"));
        }
        String text = report.toText() + report.toJson();
        for (String secret : List.of(CLIENT_SECRET, COOKIE_SECRET, AWS_KEY)) {
            assertFalse(text.contains(secret) || text.contains(encoded(secret)), secret + " in " + text);
        }

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
        assertFalse(proxyText.contains(CLIENT_SECRET) || proxyText.contains(COOKIE_SECRET), "no secret value in the pod spec");
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
        assertEquals(Map.of("unchanged", 13L), outcomes(report), report.toText());
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
        assertEquals(Map.of("configured", 1L, "unchanged", 12L), outcomes(report), report.toText());
        assertEquals("30", cluster.admin.apps().deployments().inNamespace(NS).withName("sui-operator").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValue());
    }

    @Test
    @Order(5)
    void rotatedAwsCredentialsReachEveryCopyOnTheNextPass() {
        var source = cluster.admin.secrets().inNamespace("aws-system").withName("aws-credentials").get();
        source.getData().put("AWS_SECRET_ACCESS_KEY", encoded(AWS_ROTATED));
        cluster.admin.secrets().inNamespace("aws-system").resource(source).update();
        EnvironmentDiffText diff = new EnvironmentDiffText(cluster.diff(ENV));
        assertEquals(List.of("Secret cellxgene-portal/aws-credentials", "Secret cellxgene/aws-credentials"), diff.keys());
        assertTrue(diff.text.contains("<redacted (changed)>"), diff.text);
        assertFalse(diff.text.contains(AWS_ROTATED) || diff.text.contains(encoded(AWS_ROTATED))
                || diff.text.contains(AWS_KEY) || diff.text.contains(encoded(AWS_KEY)), diff.text);
        ApplyReport report = cluster.apply(ENV);
        assertEquals(Map.of("configured", 2L, "unchanged", 11L), outcomes(report), report.toText());
        for (String ns : List.of(NS, "cellxgene-portal")) {
            assertEquals(AWS_ROTATED, decoded(cluster.admin.secrets().inNamespace(ns).withName("aws-credentials").get()
                    .getData().get("AWS_SECRET_ACCESS_KEY")));
        }
    }

    /** A live diff's object keys and unified text. */
    private record EnvironmentDiffText(List<String> keys, String text) {
        EnvironmentDiffText(dev.dmreconciler.diff.EnvironmentDiff diff) {
            this(diff.objects().stream().map(o -> o.key().toString()).sorted().toList(),
                    diff.objects().stream().map(ObjectDiff::unified).collect(java.util.stream.Collectors.joining("\n")));
        }
    }

    private static String decoded(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String encoded(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    @Order(6)
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
