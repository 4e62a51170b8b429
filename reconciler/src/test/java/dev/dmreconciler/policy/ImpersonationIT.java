package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.apply.Result;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An environment applied as a ServiceAccount: Kubernetes RBAC decides, so an object of a kind the account may not
 * write fails with Forbidden, and only that object.
 */
class ImpersonationIT {

    private static RealApiServer server;
    private static KubernetesClient admin;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
        for (String namespace : List.of("guard-imp", "guard-imp-a", "guard-imp-b")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        admin.serviceAccounts().inNamespace("guard-imp").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("deployer").endMetadata().build()).create();
        // ConfigMaps: everything a pass needs; Services: only what the plan reads, no writes
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("gr-deployer").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                                .withVerbs("get", "list", "create", "patch", "delete").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("services").withVerbs("get", "list").build())
                .build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("gr-deployer")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("gr-deployer").endRoleRef().addNewSubject().withKind("ServiceAccount").withName("deployer")
                .withNamespace("guard-imp").endSubject().build()).create();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApplyReport apply(TestRepo repo, String environment, GuardOptions guard) {
        DesiredState desired = Renderer.renderNamed(repo.open(), environment);
        return new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .guardedBy(guard.rulesFor(repo.open().tree(), desired), false).run(desired, null);
    }

    @Test
    void theServiceAccountOfThePolicyAppliesWhatItMayAndIsForbiddenTheRest() {
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir.resolve("policy"), 2, "service.yaml.ftl"), "imp", "guard-imp-a")
                .write("policy/it.yaml", """
                        environments:
                          imp: {serviceAccount: {namespace: guard-imp, name: deployer}}
                        """);
        ApplyReport report = apply(repo, "imp", GuardOptions.NONE);
        assertFalse(report.succeeded(), report.toText());
        List<Result> failed = report.results().stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
        assertEquals(1, failed.size(), report.toText());
        assertEquals("Service guard-imp-a/gr", failed.get(0).change().key().toString());
        assertTrue(failed.get(0).message().contains("Forbidden") || failed.get(0).message().contains("403"),
                failed.get(0).message());
        assertTrue(failed.get(0).message().contains("system:serviceaccount:guard-imp:deployer"), failed.get(0).message());
        assertEquals(2, report.count(Outcome.CREATED), report.toText());
        assertNotNull(admin.configMaps().inNamespace("guard-imp-a").withName("cm-1").get());
        assertNull(admin.services().inNamespace("guard-imp-a").withName("gr").get());
    }

    @Test
    void aDefaultServiceAccountAppliesToEnvironmentsWithoutOne() {
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir.resolve("default"), 1, "service.yaml.ftl"), "plain", "guard-imp-b");
        GuardOptions guard = new GuardOptions(null, false, ServiceAccountRef.parse("guard-imp/deployer"));
        ApplyReport report = apply(repo, "plain", guard);
        assertEquals(1, report.count(Outcome.FAILED), report.toText());
        assertEquals(1, report.count(Outcome.CREATED) + report.count(Outcome.UNCHANGED), report.toText());

        ApplyReport asReconciler = apply(repo, "plain", GuardOptions.NONE);
        assertTrue(asReconciler.succeeded(), asReconciler.toText());
        assertNotNull(admin.services().inNamespace("guard-imp-b").withName("gr").get());
    }
}
