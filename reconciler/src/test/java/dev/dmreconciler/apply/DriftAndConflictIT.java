package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift repair and field ownership, on the operator Deployment. */
class DriftAndConflictIT extends OnRealApiServer {

    private static final String NS = "data-manager-jupyter-operator";
    private static TestRepo repo;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        RealApiServer.createDataManagerNamespace(client, "dm-drift");
        repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml",
                "jo_image_tag: 2.0.0\njo_dmapi_namespace: dm-drift\njo_ingress_domain: drift.example\n");
    }

    @BeforeEach
    void converged() {
        assertTrue(harness.apply(repo, "env").succeeded());
    }

    private static Deployment operator() {
        return client.apps().deployments().inNamespace(NS).withName("jupyter-operator").get();
    }

    private static String envValue(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void editOfAnOwnedFieldIsRevertedAndOthersFieldsAreLeftAlone() {
        // kubectl edit: an Update by another manager, changing a field the reconciler owns and adding one it does not
        client.apps().deployments().inNamespace(NS).withName("jupyter-operator").edit(d -> new DeploymentBuilder(d)
                .editMetadata().addToAnnotations("team/note", "added by hand").endMetadata()
                .editSpec().editTemplate().editSpec().editFirstContainer()
                .editMatchingEnv(e -> e.getName().equals("INGRESS_DOMAIN")).withValue("hacked.example").endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build());
        assertEquals("hacked.example", envValue(operator(), "INGRESS_DOMAIN"));

        ApplyReport report = harness.apply(repo, "env");
        assertTrue(report.succeeded(), report.toText());
        assertEquals(1, report.count(Outcome.CONFIGURED), report.toText());
        Result repaired = report.results().stream().filter(r -> r.outcome() == Outcome.CONFIGURED).findFirst().orElseThrow();
        assertTrue(repaired.message().startsWith("drift: fields changed by"), repaired.message());
        assertEquals("drift.example", envValue(operator(), "INGRESS_DOMAIN"), "the edit is reverted");
        assertEquals("added by hand", operator().getMetadata().getAnnotations().get("team/note"),
                "a field the reconciler does not own is left alone");

        harness.apply(repo, "env");
        assertEquals(0, harness.counter.writes(), "converged again: the next pass writes nothing");
    }

    @Test
    void aFieldTakenByAnotherAppliersIsForcedBackAndReported() {
        Deployment scaled = new DeploymentBuilder().withNewMetadata().withName("jupyter-operator").withNamespace(NS)
                .endMetadata().withNewSpec().withReplicas(3).endSpec().build();
        client.apps().deployments().inNamespace(NS).resource(scaled).fieldManager("autoscaler").forceConflicts().serverSideApply();
        assertEquals(3, operator().getSpec().getReplicas());

        ApplyReport report = harness.apply(repo, "env");
        assertTrue(report.succeeded(), report.toText());
        Result forced = report.results().stream().filter(r -> !r.conflicts().isEmpty()).findFirst().orElseThrow();
        assertEquals("Deployment", forced.change().key().kind());
        assertEquals(1, forced.conflicts().size(), forced.conflicts().toString());
        assertTrue(forced.conflicts().get(0).contains(".spec.replicas (owned by autoscaler)"), forced.conflicts().toString());
        assertTrue(report.toText().contains("forced conflict: .spec.replicas (owned by autoscaler)"), report.toText());
        assertEquals(1, operator().getSpec().getReplicas());
    }

    @Test
    void withoutForceAConflictFailsTheObjectAndChangesNothing() {
        Deployment scaled = new DeploymentBuilder().withNewMetadata().withName("jupyter-operator").withNamespace(NS)
                .endMetadata().withNewSpec().withReplicas(5).endSpec().build();
        client.apps().deployments().inNamespace(NS).resource(scaled).fieldManager("autoscaler").forceConflicts().serverSideApply();
        ApplyReport report = harness.options(new ApplyOptions("dm-reconciler", false, 4, Duration.ofSeconds(30))).apply(repo, "env");
        harness.options(ApplyOptions.defaults());
        assertFalse(report.succeeded());
        Result failed = report.results().stream().filter(r -> r.outcome() == Outcome.FAILED).findFirst().orElseThrow();
        assertTrue(failed.message().contains("409"), failed.message());
        assertTrue(failed.message().contains("Deployment") || failed.change().key().kind().equals("Deployment"));
        assertEquals(5, operator().getSpec().getReplicas());
    }
}
