package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example environment applied as a ServiceAccount bound to nothing but the RBAC {@code rbac --cluster local}
 * derives: created from scratch, a no-op pass, and a prune all succeed; so the generated role is enough.
 */
class LeastPrivilegeIT {

    private static RealApiServer server;
    private static final RequestCounter counter = new RequestCounter();
    private static KubernetesClient admin;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client(counter);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApplyReport applyAsAccount(TestRepo repo, ServiceAccountRef account) {
        DesiredState desired = Renderer.renderNamed(repo.open(), "example");
        Rules rules = new GuardOptions(null, false, account).rulesFor(repo.open().tree(), desired);
        counter.reset();
        return new ApplyPass(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").guardedBy(rules, false)
                .run(desired, null);
    }

    @Test
    void theExampleEnvironmentNeedsNothingButTheGeneratedRole() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        for (String file : List.of("example.yaml", "shared/common.yaml")) {
            repo.write("environments/" + file, Files.readString(TestRepo.projectRoot().resolve("environments/" + file)));
        }
        for (String namespace : List.of("data-manager-api-dev", "data-manager-api-test", "data-manager-api-staging")) {
            RealApiServer.createDataManagerNamespace(admin, namespace);
        }
        ServiceAccountRef account = new ServiceAccountRef("dm-reconciler", "applier");
        LeastPrivilege.Result rbac = LeastPrivilege.derive(List.of(Renderer.renderNamed(repo.open(), "example")),
                new LeastPrivilege.Request("dm-reconciler", account, "dm-reconciler"));
        for (Map<String, Object> object : rbac.objects()) { // as the cluster admin would, once
            GenericKubernetesResource resource = admin.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
            admin.resource(resource).create();
        }

        ApplyReport created = applyAsAccount(repo, account);
        assertTrue(created.succeeded(), created.toText());
        assertEquals(15, created.count(Outcome.CREATED), created.toText());

        ApplyReport again = applyAsAccount(repo, account);
        assertTrue(again.succeeded(), again.toText());
        assertEquals(0, counter.writes(), "a no-op pass as the account writes nothing");

        repo.write("environments/example.yaml", Files.readString(repo.root().resolve("environments/example.yaml"))
                .replace("      data-manager-api-dev: {}\n", ""));
        ApplyReport pruned = applyAsAccount(repo, account);
        assertTrue(pruned.succeeded(), pruned.toText());
        assertEquals(3, pruned.count(Outcome.DELETED), pruned.toText());
    }

    @Test
    void withoutTheGeneratedRoleTheSameAccountIsForbidden() {
        ServiceAccountRef nobody = new ServiceAccountRef("default", "nobody");
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir.resolve("nobody"), 1), "example", "default");
        io.fabric8.kubernetes.client.KubernetesClientException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.fabric8.kubernetes.client.KubernetesClientException.class, () -> applyAsAccount(repo, nobody));
        assertEquals(403, e.getCode());
        assertTrue(e.getMessage().contains("User \"system:serviceaccount:default:nobody\" cannot list resource \"configmaps\""),
                e.getMessage());
        assertEquals(0, counter.writes());
    }
}
