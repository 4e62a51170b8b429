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
 * The reconciler's own ServiceAccount bound to nothing but the RBAC {@code rbac --cluster local --for-bundle} derives
 * (the self-deploy bundle's, committed in rbac/dm-reconciler/generated/local.yaml): it keeps itself and applies the
 * example environment from scratch, a no-op pass and a prune; so the generated role is enough, for its own state too.
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

    /** A client that is the ServiceAccount for every request (inventories, Leases and the hash-key Secret too). */
    private static KubernetesClient as(ServiceAccountRef account, RequestCounter requests) {
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(server.kubeconfigYaml());
        config.setImpersonateUsername("system:serviceaccount:" + account.namespace() + ":" + account.name());
        config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + account.namespace(), "system:authenticated");
        return dev.dmreconciler.kube.KubeConnector.connect(config, requests, 0);
    }

    private static ApplyReport apply(KubernetesClient client, TestRepo repo, String environment) {
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .run(Renderer.renderNamed(repo.open(), environment), null);
    }

    /**
     * Issue 11 item 5 end to end: the self-deploy environment, whose RBAC is the committed output of
     * {@code rbac --cluster local --for-bundle}, is bootstrapped once by an admin; then the reconciler's own
     * ServiceAccount — for every request, its inventories, Leases and hash-key Secret included — re-applies it
     * (0 writes), changes it (it may patch its own Deployment and re-apply its own roles), and applies the example
     * environment from scratch, a no-op pass and a prune. Nothing else is bound to it.
     */
    @Test
    void theSelfDeployedReconcilerRunsOnTheGeneratedRbacAlone() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("self"));
        for (String file : List.of("example.yaml", "dm-reconciler.yaml", "shared/common.yaml")) {
            repo.write("environments/" + file, Files.readString(TestRepo.projectRoot().resolve("environments/" + file)));
        }
        for (String namespace : List.of("data-manager-api-dev", "data-manager-api-test", "data-manager-api-staging")) {
            RealApiServer.createDataManagerNamespace(admin, namespace);
        }
        // docs/deploying.md step 3: the admin creates the namespace and the git Secret before the first apply
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("dm-reconciler").endMetadata().build()).create();
        admin.secrets().inNamespace("dm-reconciler").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("dm-reconciler-git").endMetadata().addToStringData("token", "")
                .addToStringData("webhook-secret", "").build()).create();
        ApplyReport bootstrap = apply(admin, repo, "dm-reconciler"); // docs/deploying.md step 4, as a cluster admin
        assertTrue(bootstrap.succeeded(), bootstrap.toText());
        assertTrue(bootstrap.toText().contains("adopted Namespace dm-reconciler"), "the bundle's Namespace opts in to "
                + "adoption, so the steps of docs/deploying.md work as written: " + bootstrap.toText());
        assertTrue(bootstrap.results().stream().anyMatch(r -> r.change().key().kind().equals("ClusterRole")
                && r.outcome() == Outcome.CREATED), bootstrap.toText());

        RequestCounter requests = new RequestCounter();
        try (KubernetesClient reconciler = as(new ServiceAccountRef("dm-reconciler", "dm-reconciler"), requests)) {
            ApplyReport itself = apply(reconciler, repo, "dm-reconciler");
            assertTrue(itself.succeeded(), itself.toText());
            assertEquals(0, requests.writes(), "the pods find their own objects unchanged: " + requests.writeLog());

            repo.write("environments/dm-reconciler.yaml", Files.readString(repo.root().resolve("environments/dm-reconciler.yaml"))
                    .replace("      dr_image_tag: 0.1.0\n", "      dr_image_tag: 0.1.0\n      dr_replicas: 3\n"));
            ApplyReport changed = apply(reconciler, repo, "dm-reconciler");
            assertTrue(changed.succeeded(), changed.toText());
            assertEquals(1, changed.count(Outcome.CONFIGURED), changed.toText());

            ApplyReport created = apply(reconciler, repo, "example");
            assertTrue(created.succeeded(), created.toText());
            assertEquals(15, created.count(Outcome.CREATED), created.toText());
            requests.reset();
            ApplyReport again = apply(reconciler, repo, "example");
            assertTrue(again.succeeded(), again.toText());
            assertEquals(0, requests.writes(), "a no-op pass writes nothing: " + requests.writeLog());
            repo.write("environments/example.yaml", Files.readString(repo.root().resolve("environments/example.yaml"))
                    .replace("      data-manager-api-dev: {}\n", ""));
            ApplyReport pruned = apply(reconciler, repo, "example");
            assertTrue(pruned.succeeded(), pruned.toText());
            assertEquals(3, pruned.count(Outcome.DELETED), pruned.toText());
            assertTrue(requests.writeLog().stream().anyMatch(w -> w.startsWith("PUT /api/v1/namespaces/dm-reconciler/configmaps/inventory.")),
                    "the inventories were saved by the account itself: " + requests.writeLog());
        }
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
