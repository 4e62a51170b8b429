package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code preconditions:} with several names: {@code names:} as one FreeMarker expression giving a list (a list
 * variable, a list of maps mapped to names, a string, empty = none) or as a YAML list of templates;
 * {@code namespaces:} likewise, names × namespaces. Every case of the table, and the errors naming the entry.
 */
class PreconditionNamesTest {

    @TempDir
    Path dir;

    private TestRepo repo(String precondition, String values) {
        return TestRepo.empty(dir).write("templates/pn/bundle.yaml", """
                name: pn
                prefix: pn_
                namespaceVariable: pn_namespace
                preconditions:
                  - %s
                templates:
                  - file: templates/pn/cm.yaml.ftl
                    scope: instance
                variables:
                  pn_namespace: {default: apps}
                  pn_secrets: {type: list, of: string, default: []}
                  pn_volumes: {type: list, default: []}
                  pn_claim: {default: ''}
                  pn_spaces: {type: list, of: string, default: []}
                  pn_count: {type: integer, default: 3}
                """.formatted(precondition)).write("templates/pn/cm.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: "${instance.name}"}
                """).write("environments/env.yaml", """
                applications:
                  pn:
                    values: {%s}
                    instances: {one: {namespace: ns-1}}
                """.formatted(values));
    }

    private List<String> required(String precondition, String values) {
        DesiredState desired = Renderer.renderNamed(repo(precondition, values).open(), "env");
        return desired.preconditions().stream().filter(r -> !r.kind().equals("Namespace"))
                .map(r -> r.kind() + " " + (r.namespace().isEmpty() ? r.defaultNamespace() : r.namespace()) + "/" + r.name()
                        + (r.instance() == null ? "" : " (" + r.instance() + ")")).toList();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {apiVersion: v1, kind: Secret, names: pn_secrets, scope: instance}                 | pn_secrets: [a, b]                        | Secret ns-1/a (one);Secret ns-1/b (one)
            {apiVersion: v1, kind: Secret, names: pn_secrets, scope: instance}                 | pn_secrets: []                            | 
            {apiVersion: v1, kind: Secret, names: pn_secrets, scope: instance}                 | pn_secrets: [a, a]                        | Secret ns-1/a (one)
            {apiVersion: v1, kind: PersistentVolumeClaim, names: 'pn_volumes?map(v -> v.name)', scope: instance} | pn_volumes: [{name: data, mountPath: /d}, {name: home, mountPath: /h}] | PersistentVolumeClaim ns-1/data (one);PersistentVolumeClaim ns-1/home (one)
            {apiVersion: v1, kind: PersistentVolumeClaim, names: pn_claim, scope: instance}    | pn_claim: shared                          | PersistentVolumeClaim ns-1/shared (one)
            {apiVersion: v1, kind: PersistentVolumeClaim, names: pn_claim, scope: instance}    | pn_claim: ''                              | 
            {apiVersion: v1, kind: Secret, names: ['${pn_claim}-x', fixed], scope: instance}  | pn_claim: c                               | Secret ns-1/c-x (one);Secret ns-1/fixed (one)
            {apiVersion: v1, kind: Secret, name: aws, namespaces: pn_spaces}                   | pn_spaces: [s1, s2]                       | Secret s1/aws;Secret s2/aws
            {apiVersion: v1, kind: Secret, names: pn_secrets, namespaces: [s1, '${pn_namespace}']} | pn_secrets: [a, b]                    | Secret s1/a;Secret s1/b;Secret apps/a;Secret apps/b
            {apiVersion: v1, kind: Secret, names: 'pn_secrets + [\"extra\"]', scope: instance} | pn_secrets: [a]                          | Secret ns-1/a (one);Secret ns-1/extra (one)
            """)
    void namesAndNamespacesExpandToOneRequirementEach(String precondition, String values, String expected) {
        List<String> wanted = expected == null ? List.of() : List.of(expected.split(";"));
        assertEquals(wanted, required(precondition, values));
    }

    @Test
    void aNameListGuardsTheInstancesObjects() {
        DesiredState desired = Renderer.renderNamed(repo("{apiVersion: v1, kind: Secret, names: pn_secrets, scope: instance}",
                "pn_secrets: [a, b]").open(), "env");
        desired.preconditions().stream().filter(r -> r.kind().equals("Secret")).forEach(r ->
                assertEquals("[ConfigMap ns-1/one]", r.guards().toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {apiVersion: v1, kind: Secret, name: a, names: pn_secrets}            | set either name or names, not both
            {apiVersion: v1, kind: Secret, names: '${pn_secrets}'}                 | without ${...}
            {apiVersion: v1, kind: Secret, names: []}                             | an empty list requires nothing
            {apiVersion: v1, kind: Secret}                                        | required: name or names
            {apiVersion: v1, kind: Secret, name: a, namespaces: ''}               | expected a YAML list of names or one FreeMarker expression
            """)
    void badSettingsAreErrorsNamingTheBundleEntry(String precondition, String message) {
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> Renderer.renderNamed(repo(precondition, "").open(), "env"));
        assertTrue(error.getMessage().contains(message), error.getMessage());
        assertTrue(error.getMessage().contains("templates/pn/bundle.yaml"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pn_volumes       | pn_volumes: [{name: data}]  | gives an element that is a map, not a name (for a list of maps, pick the name: pn_volumes?map(v -> v.name))
            pn_count         | ''                           | 
            nothing_declared | ''                           | 
            """)
    void expressionsThatGiveNoNamesAreErrorsNamingTheEnvironmentAndInstance(String expression, String values, String message) {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> Renderer.renderNamed(
                repo("{apiVersion: v1, kind: Secret, names: '" + expression + "', scope: instance}", values).open(), "env"));
        assertTrue(error.getMessage().contains("templates/pn/bundle.yaml"), error.getMessage());
        assertTrue(error.getMessage().contains("environment env, application pn, instance one"), error.getMessage());
        if (message != null) {
            assertTrue(error.getMessage().contains(message), error.getMessage());
        }
    }
}
