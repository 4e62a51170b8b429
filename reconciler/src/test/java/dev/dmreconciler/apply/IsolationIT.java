package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures stay where they happen: one bad namespace or object never stops the others, and never deletes. */
class IsolationIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    /** A bundle with its own CRD, a custom resource of it, and per-namespace ConfigMaps whose names are parameters. */
    private static TestRepo probeRepo(Path root) {
        return TestRepo.empty(root).write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                namespacePreconditions:
                  - {apiVersion: v1, kind: ServiceAccount, name: data-manager}
                templates:
                  - file: templates/probe/crd.yaml.ftl
                  - file: templates/probe/per-namespace.yaml.ftl
                    scope: namespace
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: dm}
                  pr_first: {default: first}
                  pr_second: {type: boolean, default: yes}
                """).write("templates/probe/crd.yaml.ftl", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """).write("templates/probe/per-namespace.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ${pr_first?c}}
                data: {a: b}
                <#if pr_second>
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: second}
                data: {c: d}
                </#if>
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: widget}
                spec: {size: 3}
                """);
    }

    private static Map<String, String> summaries(ApplyReport report) {
        return report.byScope().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ApplyReport.summary(e.getValue())));
    }

    @Test
    void aMissingNamespaceOrServiceAccountIsReportedAndTheOthersConvergeWithCrdAndCrInOnePass() {
        RealApiServer.createDataManagerNamespace(client, "iso-ok");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("iso-nosa").endMetadata().build()).create();
        TestRepo repo = probeRepo(dir.resolve("one")).write("environments/env.yaml", """
                applications:
                  probe:
                    namespaces: [iso-ok, iso-missing, iso-nosa]
                """);
        ApplyReport report = harness.apply(repo, "env");
        assertFalse(report.succeeded());
        Map<String, String> summaries = summaries(report);
        assertEquals("Op: 1 create, 0 delete, 0 update, 0 noop", summaries.get("operator"), report.toText());
        assertEquals("Op: 3 create, 0 delete, 0 update, 0 noop", summaries.get("iso-ok"), report.toText());
        assertEquals("Op: 0 create, 0 delete, 0 update, 0 noop, 3 skip", summaries.get("iso-missing"));
        assertTrue(report.toText().contains("precondition failed: namespace iso-missing does not exist"), report.toText());
        assertTrue(report.toText().contains("precondition failed: ServiceAccount iso-nosa/data-manager does not exist"), report.toText());
        assertNotNull(client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("iso-ok").withName("widget").get(),
                "a custom resource of a CRD applied in the same pass");

        RealApiServer.createDataManagerNamespace(client, "iso-missing");
        client.serviceAccounts().inNamespace("iso-nosa").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("data-manager").endMetadata().build()).create();
        ApplyReport next = harness.apply(repo, "env");
        assertTrue(next.succeeded(), next.toText());
        assertEquals(6, next.count(Outcome.CREATED), next.toText());
        assertEquals(4, next.count(Outcome.UNCHANGED), next.toText());
    }

    @Test
    void aFailureInANamespaceDeletesNothingThereAndTheNextPassConverges() {
        RealApiServer.createDataManagerNamespace(client, "fail-a");
        RealApiServer.createDataManagerNamespace(client, "fail-b");
        TestRepo repo = probeRepo(dir.resolve("two")).write("environments/env.yaml", """
                applications:
                  probe:
                    namespaces: [fail-a, fail-b]
                """);
        assertTrue(harness.apply(repo, "env").succeeded());

        // 'second' leaves git everywhere; in fail-a the first ConfigMap gets a name the API server rejects
        repo.write("environments/env.yaml", """
                applications:
                  probe:
                    values: {pr_second: no}
                    namespaces:
                      fail-a: {pr_first: Not_A_Valid_Name}
                      fail-b: {}
                """);
        ApplyReport report = harness.apply(repo, "env");
        assertFalse(report.succeeded());
        Result failed = report.results().stream().filter(r -> r.outcome() == Outcome.FAILED).findFirst().orElseThrow();
        assertTrue(failed.message().contains("422") && failed.message().contains("Not_A_Valid_Name"), failed.message());
        assertNotNull(client.configMaps().inNamespace("fail-a").withName("second").get(), "nothing is deleted where a failure happened");
        assertEquals(null, client.configMaps().inNamespace("fail-b").withName("second").get(), "the healthy namespace converges");
        assertTrue(report.toText().contains("not pruned: namespace fail-a had failures"), report.toText());

        repo.write("environments/env.yaml", """
                applications:
                  probe:
                    values: {pr_second: no}
                    namespaces: [fail-a, fail-b]
                """);
        ApplyReport fixed = harness.apply(repo, "env");
        assertTrue(fixed.succeeded(), fixed.toText());
        assertEquals(null, client.configMaps().inNamespace("fail-a").withName("second").get());
        assertEquals(List.of("probe"), fixed.inventoriesWritten());
    }
}
