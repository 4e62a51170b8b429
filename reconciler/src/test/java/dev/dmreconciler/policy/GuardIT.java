package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.apply.Result;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard rails against a real API server, each counting requests where nothing may be written. */
class GuardIT {

    private static RealApiServer server;
    private static final RequestCounter counter = new RequestCounter();
    private static KubernetesClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client(counter);
        for (String namespace : List.of("guard-a", "guard-b")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A bundle with one ConfigMap per template (cm-0 … cm-N-1) in gr_target, and optional extra templates. */
    static TestRepo repo(Path root, int configMaps, String... extraTemplates) {
        TestRepo repo = TestRepo.empty(root);
        StringBuilder bundle = new StringBuilder("""
                name: gr
                prefix: gr_
                namespaceVariable: gr_namespace
                stateVariable: gr_state
                variables:
                  gr_state: {default: present}
                  gr_namespace: {default: guard-a}
                  gr_target: {default: guard-a}
                templates:
                """);
        for (int i = 0; i < configMaps; i++) {
            bundle.append("  - {file: templates/gr/cm-").append(i).append(".yaml.ftl, scope: environment}\n");
            repo.write("templates/gr/cm-" + i + ".yaml.ftl", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: cm-%d, namespace: ${gr_target?c}}
                    data: {index: "%d"}
                    """.formatted(i, i));
        }
        for (String extra : extraTemplates) {
            bundle.append("  - {file: templates/gr/").append(extra).append(", scope: environment}\n");
        }
        return repo.write("templates/gr/bundle.yaml", bundle.toString())
                .write("templates/gr/admin.yaml.ftl", """
                        apiVersion: rbac.authorization.k8s.io/v1
                        kind: ClusterRoleBinding
                        metadata: {name: gr-everyone-is-admin}
                        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                        subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:authenticated"}]
                        """)
                .write("templates/gr/service.yaml.ftl", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: gr, namespace: ${gr_target?c}}
                        spec: {ports: [{port: 80, protocol: TCP}]}
                        """);
    }

    static TestRepo environment(TestRepo repo, String name, String target) {
        return repo.write("environments/" + name + ".yaml", """
                cluster: it
                applications:
                  gr:
                    namespaces: [%s]
                    values: {gr_target: %s}
                """.formatted(target, target));
    }

    private static ApplyReport apply(TestRepo repo, String environment, boolean allowMassPrune) {
        DesiredState desired = Renderer.renderNamed(repo.open(), environment);
        Rules rules = GuardOptions.NONE.rulesFor(repo.open().tree(), desired);
        counter.reset();
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .guardedBy(rules, allowMassPrune).run(desired, null);
    }

    @Test
    void anEnvironmentTargetingKubeSystemIsRefusedWithoutARequest() {
        TestRepo repo = environment(repo(dir.resolve("kube-system"), 2), "sys", "kube-system");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> apply(repo, "sys", false));
        assertEquals(0, counter.reads() + counter.writes(), counter.snapshot().toString());
        assertEquals(List.of(
                "error: templates/gr/cm-0.yaml.ftl: ConfigMap kube-system/cm-0: targets the protected namespace kube-system "
                        + "(allowed only when the policy lists it by name in namespaces: or allows protected-namespace) "
                        + "(rule protected-namespace of the built-in default policy, environment sys)",
                "error: templates/gr/cm-1.yaml.ftl: ConfigMap kube-system/cm-1: targets the protected namespace kube-system "
                        + "(allowed only when the policy lists it by name in namespaces: or allows protected-namespace) "
                        + "(rule protected-namespace of the built-in default policy, environment sys)"),
                e.problems().all().stream().map(Object::toString).toList());
        assertNull(client.configMaps().inNamespace("kube-system").withName("cm-0").get());
    }

    @Test
    void aClusterAdminBindingIsRefusedUnlessThePolicyAllowsIt() {
        TestRepo repo = environment(repo(dir.resolve("admin"), 1, "admin.yaml.ftl"), "admin", "guard-a");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> apply(repo, "admin", false));
        assertEquals(0, counter.reads() + counter.writes());
        assertTrue(e.getMessage().contains("ClusterRoleBinding.rbac.authorization.k8s.io gr-everyone-is-admin: binds the "
                + "ClusterRole cluster-admin (rule cluster-admin-binding of the built-in default policy, environment admin)"),
                e.getMessage());
        assertNull(client.rbac().clusterRoleBindings().withName("gr-everyone-is-admin").get());

        // an explicit entry of the cluster's policy file (outside the environment file) allows it
        repo.write("policy/it.yaml", """
                environments:
                  admin: {allow: [cluster-admin-binding]}
                """);
        ApplyReport report = apply(repo, "admin", false);
        assertTrue(report.succeeded(), report.toText());
        assertNotNull(client.rbac().clusterRoleBindings().withName("gr-everyone-is-admin").get());
        // and only that environment: another one of the same cluster is still refused, by the file now
        environment(repo, "other", "guard-b");
        InvalidInputException other = assertThrows(InvalidInputException.class, () -> apply(repo, "other", false));
        assertTrue(other.getMessage().contains("(rule cluster-admin-binding of policy/it.yaml, environment other)"),
                other.getMessage());
        assertEquals(0, counter.writes());
    }

    @Test
    void aCommitRemovingMostTemplatesDeletesNothingUntilOverridden() {
        Path root = dir.resolve("budget");
        environment(repo(root, 15), "budget", "guard-b");
        assertTrue(apply(TestRepo.empty(root), "budget", false).succeeded());
        assertEquals(15, client.configMaps().inNamespace("guard-b").list().getItems().size());

        TestRepo shrunk = repo(root, 3); // 12 of 15 templates (80 %) leave git
        ApplyReport held = apply(shrunk, "budget", false);
        assertEquals(0, counter.count("DELETE"), counter.snapshot().toString());
        assertEquals(0, counter.writes(), "nothing deleted, and the inventory keeps the held objects");
        assertFalse(held.succeeded(), "a held pass is not a clean success");
        List<Result> skipped = held.results().stream().filter(r -> r.outcome() == Outcome.SKIPPED).toList();
        assertEquals(IntStream.range(3, 15).mapToObj(i -> "cm-" + i).sorted().toList(),
                skipped.stream().map(r -> r.change().key().name()).sorted().toList());
        assertTrue(held.toText().contains("skipped ConfigMap guard-b/cm-14: not deleted: prune budget exceeded: this pass "
                + "would delete 12 of the 15 objects of gr (more than 10 objects and more than 25 % of an inventory); "
                + "rerun with --allow-mass-prune, or put 'dm-reconciler: allow-prune' in the commit message"), held.toText());
        assertEquals(15, client.configMaps().inNamespace("guard-b").list().getItems().size());

        ApplyReport again = apply(shrunk, "budget", false);
        assertEquals(12, again.count(Outcome.SKIPPED), "still held on the next pass: the inventory kept them");

        ApplyReport overridden = apply(shrunk, "budget", true);
        assertTrue(overridden.succeeded(), overridden.toText());
        assertEquals(12, overridden.count(Outcome.DELETED));
        assertEquals(12, counter.count("DELETE"));
        assertEquals(List.of("cm-0", "cm-1", "cm-2"), client.configMaps().inNamespace("guard-b").list().getItems().stream()
                .map(c -> c.getMetadata().getName()).sorted().collect(Collectors.toList()));
    }
}
