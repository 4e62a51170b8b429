package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.diff.DiffReport;
import dev.dmreconciler.diff.EnvironmentDiff;
import dev.dmreconciler.diff.MarkdownFormat;
import dev.dmreconciler.diff.ObjectDiff;
import dev.dmreconciler.diff.TextFormat;
import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.params.BundleSecrets;
import dev.dmreconciler.plan.Change;
import dev.dmreconciler.plan.Outcome;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.plan.Reason;
import dev.dmreconciler.plan.ScopeLabel;
import dev.dmreconciler.resource.ObjectKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reports name the environment scope with the bundles' own word: "operator" for the Data Manager operators,
 * "environment" for pygeoapi, geddes, cellxgene, MAIAKubeGate; namespaces by their name. JSON keeps "operator".
 */
class ScopeWordingTest {

    private static Bundle bundle(String name, String environmentScopeName) {
        return new Bundle(name, "templates/" + name + "/bundle.yaml", "", name + "_", null, null, "[:,]", null, null,
                "SetMe", List.of(), Map.of(), List.of(), List.of(), environmentScopeName, "instance", BundleSecrets.NONE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            jupyter-operator=operator                              | operator
            jupyter-operator=operator;viz-operator=operator        | operator
            jupyter-operator=operator;manifests=environment        | operator
            pygeoapi-k8s-manager=environment                       | environment
            geddes-app=environment;maiakubegate=environment        | environment
            cellxgene=platform;jupyter-operator=operator           | operator/platform
            """)
    void theEnvironmentScopeIsNamedByItsBundles(String bundles, String label) {
        List<Bundle> list = Arrays.stream(bundles.split(";")).map(b -> b.split("="))
                .map(p -> bundle(p[0], p[1])).toList();
        assertEquals(label, ScopeLabel.of(list));
    }

    @Test
    void namespacesKeepTheirNamesAndNoBundleMeansEnvironment() {
        assertEquals("geo", ScopeLabel.display("geo", "environment"));
        assertEquals("environment", ScopeLabel.display(Plan.OPERATOR_SCOPE, "environment"));
        assertEquals("environment", ScopeLabel.of(List.of()));
    }

    private static Change change(String scope, String name) {
        return new Change(new ObjectKey("", "ConfigMap", scope == null ? "" : scope, name), "v1", Outcome.CREATED, "app",
                scope, Map.of(), null, Reason.NOT_IN_CLUSTER, "not in the cluster");
    }

    @Test
    void applyTextSaysEnvironmentForOtherApplicationsAndJsonKeepsTheStableKey() {
        Plan plan = new Plan("geo", "local", List.of(change(null, "shared"), change("geo", "cfg")), Map.of(), Set.of());
        List<Result> results = plan.changes().stream().map(c -> Result.of(c, Outcome.CREATED, c.reason(), c.message())).toList();
        ApplyReport report = new ApplyReport(plan, results, List.of()).withEnvironmentScope("environment");
        String text = report.toText();
        assertTrue(text.contains("\nenvironment: Op: 1 create, 0 delete, 0 update, 0 noop\n"), text);
        assertTrue(text.contains("\ngeo: Op: 1 create"), text);
        assertFalse(text.contains("operator"), text);
        assertEquals("operator", ((List<Map<String, Object>>) (List<?>) report.toJson().get("scopes")).get(0).get("scope"),
                "machine-readable output keeps its key");
        ApplyReport jupyter = new ApplyReport(plan, results, List.of()).withEnvironmentScope("operator");
        assertTrue(jupyter.toText().contains("\noperator: Op: 1 create"), jupyter.toText());
        assertTrue(report.withWarnings(List.of("w")).toText().contains("\nenvironment: "), "a later warning keeps the label");
    }

    @Test
    void diffTextAndMarkdownUseTheLabel() {
        ObjectDiff created = new ObjectDiff(Plan.OPERATOR_SCOPE, new ObjectKey("", "Namespace", "", "geo"),
                ObjectDiff.Kind.CREATE, "", "kind: Namespace\n", List.of(), "");
        DiffReport report = new DiffReport("t", List.of(new EnvironmentDiff("geo", List.of(), List.of(created), 0,
                List.of(), "environment")));
        String text = new TextFormat(false).render(report);
        assertTrue(text.contains("\n  environment:\n"), text);
        assertFalse(text.contains("operator"), text);
        assertTrue(new MarkdownFormat(60000).render(report).contains("| geo | environment | 1 |"));
    }
}
