package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many namespaces to write: their preconditions (the namespace, the ServiceAccount {@code data-manager}) are read with
 * one LIST per kind instead of two GETs per namespace; a missing one is still read by GET and still blocks exactly its
 * namespace; an identity that may only {@code get} those kinds gets the same result through GETs.
 */
class PreconditionListIT extends OnRealApiServer {

    private static final int NAMESPACES = 20; // more than PreconditionReads.GETS_BEFORE_LIST

    @TempDir
    static Path dir;

    private static TestRepo repo(Path root, String prefix) {
        List<String> namespaces = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            namespaces.add(prefix + "-" + i);
        }
        namespaces.add(prefix + "-missing");
        namespaces.add(prefix + "-nosa");
        return TestRepo.empty(root).write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                namespacePreconditions:
                  - {apiVersion: v1, kind: ServiceAccount, name: data-manager}
                templates:
                  - file: templates/probe/per-namespace.yaml.ftl
                    scope: namespace
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: dm}
                """).write("templates/probe/per-namespace.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: probe}
                data: {a: b}
                """).write("environments/" + prefix + ".yaml", "applications:\n  probe:\n    namespaces: ["
                + String.join(", ", namespaces) + "]\n");
    }

    private static void namespaces(String prefix) {
        for (int i = 0; i < NAMESPACES; i++) {
            RealApiServer.createDataManagerNamespace(client, prefix + "-" + i);
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(prefix + "-nosa").endMetadata().build()).create();
    }

    private static void assertOnlyTheTwoMissingAreSkipped(ApplyReport report, String prefix) {
        assertFalse(report.succeeded());
        assertEquals(NAMESPACES, report.count(Outcome.CREATED), report.toText());
        assertEquals(2, report.count(Outcome.SKIPPED), report.toText());
        assertTrue(report.toText().contains("precondition failed: namespace " + prefix + "-missing does not exist"), report.toText());
        assertTrue(report.toText().contains("precondition failed: ServiceAccount " + prefix + "-nosa/data-manager does not exist"),
                report.toText());
    }

    private static List<String> preconditionReads(RequestCounter counter, String prefix) {
        return counter.requestLog().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/" + prefix + "-")
                || r.startsWith("GET /api/v1/namespaces?") || r.startsWith("GET /api/v1/serviceaccounts")).toList();
    }

    @Test
    void manyNamespacesAreCheckedWithOneListPerKindAndWhatIsMissingIsReadAgainByGet() {
        namespaces("pl");
        ApplyReport report = harness.apply(repo(dir.resolve("admin"), "pl"), "pl");
        assertOnlyTheTwoMissingAreSkipped(report, "pl");
        List<String> reads = preconditionReads(harness.counter, "pl");
        assertEquals(List.of("GET /api/v1/namespaces?limit=500",
                        "GET /api/v1/serviceaccounts?limit=500&fieldSelector=metadata.name=data-manager"),
                reads.stream().filter(r -> r.contains("?")).toList(), "one LIST per kind, quorum reads (no resourceVersion)");
        assertEquals(List.of("GET /api/v1/namespaces/pl-missing", "GET /api/v1/namespaces/pl-missing/serviceaccounts/data-manager",
                        "GET /api/v1/namespaces/pl-nosa/serviceaccounts/data-manager"),
                reads.stream().filter(r -> !r.contains("?")).sorted().toList(),
                "a GET only for what the LISTs did not show: absence is read at the moment it is checked");
    }

    @Test
    void anIdentityThatMayOnlyGetThePreconditionKindsGetsTheSameResultWithGets() {
        // everything the pass needs, but only get on namespaces and serviceaccounts (create: the inventory namespace)
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("precondition-getter").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("namespaces").withVerbs("get", "create").build())
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("serviceaccounts").withVerbs("get").build())
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps", "secrets", "events").withVerbs("*").build())
                .addToRules(new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").build())
                .build()).create();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("precondition-getter")
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "precondition-getter")
                .addNewSubject().withKind("User").withName("precondition-getter").withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build()).create();
        namespaces("pg");
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(server.kubeconfigYaml());
        config.setImpersonateUsername("precondition-getter");
        config.setImpersonateGroups("system:authenticated");
        RequestCounter counter = new RequestCounter();
        try (KubernetesClient getter = dev.dmreconciler.kube.KubeConnector.connect(config, counter, 0)) {
            TestRepo repo = repo(dir.resolve("getter"), "pg");
            ApplyReport report = new ApplyPass(getter, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                    .run(Renderer.renderNamed(repo.open(), "pg"), null);
            assertOnlyTheTwoMissingAreSkipped(report, "pg");
            List<String> reads = preconditionReads(counter, "pg");
            assertEquals(2, reads.stream().filter(r -> r.contains("?")).count(), "the LISTs were tried (and refused): " + reads);
            assertEquals(2 * (NAMESPACES + 2), reads.stream().filter(r -> !r.contains("?")).count(),
                    "then a GET per namespace and ServiceAccount: " + reads);
        }
    }
}
