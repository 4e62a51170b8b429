package dev.dmreconciler.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an environment file can be wrong, each reported with the file, line and key to fix. */
class EnvironmentValidationTest {

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void setUp() {
        repo = TestRepo.withProjectBundles(dir);
    }

    private Problems load(String file, String yaml) throws IOException {
        repo.write("environments/" + file, yaml);
        Problems problems = new Problems();
        repo.open(name -> "SOME_VAR".equals(name) ? "some-value" : null).loader()
                .load(file.replace(".yaml", ""), null, problems);
        return problems;
    }

    private static Problem only(Problems problems) {
        List<Problem> all = problems.all();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void requiredVariableLeftAtSentinelNamesFileLineAndKey() throws IOException {
        Problem problem = only(load("env.yaml", "jo_dmapi_namespace: dm\njo_image_tag: SetMe\n"));
        assertTrue(problem.isError());
        assertEquals("environments/env.yaml:2", problem.where());
        assertEquals("jo_image_tag", problem.subject());
        assertTrue(problem.message().contains("still 'SetMe'"), problem.message());
    }

    @Test
    void requiredVariableMissingNamesFileAndKey() throws IOException {
        Problem problem = only(load("env.yaml", "jo_dmapi_namespace: dm\njo_ingress_domain: a.b\n"));
        assertTrue(problem.isError());
        assertEquals("environments/env.yaml", problem.where());
        assertEquals("jo_image_tag", problem.subject());
        assertTrue(problem.message().contains("(the default); set it"), problem.message());
    }

    @Test
    void wrongTypeNamesFileLineAndKey() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: 1.0.0\n\njo_apply_pod_priority_class: maybe\n"));
        assertEquals("environments/env.yaml:3", problem.where());
        assertEquals("jo_apply_pod_priority_class", problem.subject());
        assertTrue(problem.message().contains("expected a boolean"), problem.message());
    }

    @Test
    void valueOutsideAllowedSetIsAnError() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: 1.0.0\njo_state: gone\n"));
        assertEquals("environments/env.yaml:2", problem.where());
        assertTrue(problem.message().contains("[present, absent]"), problem.message());
    }

    @Test
    void unknownVariableIsAWarningWithSuggestion() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: 1.0.0\njo_imag: other/image\n"));
        assertTrue(!problem.isError());
        assertEquals("environments/env.yaml:2", problem.where());
        assertTrue(problem.message().contains("did you mean 'jo_image'"), problem.message());
    }

    @Test
    void unsupportedJinjaIsAnErrorNamingKey() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: \"{{ my_tag }}\"\n"));
        assertEquals("environments/env.yaml:1", problem.where());
        assertEquals("jo_image_tag", problem.subject());
        assertTrue(problem.message().contains("unsupported Jinja expression '{{ my_tag }}'"), problem.message());
    }

    @Test
    void jinjaStatementsAreRefused() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: \"{% if x %}1{% endif %}\"\n"));
        assertTrue(problem.message().contains("not supported"), problem.message());
    }

    @Test
    void envLookupsAreEvaluatedInsideLongerStringsAndWithDefaults() throws IOException {
        repo.write("environments/env.yaml", """
                reconciler_env_lookups: [SOME_VAR, UNSET_VAR]
                jo_image_tag: "{{ lookup('env', 'SOME_VAR') }}-1"
                jo_ingress_domain: "{{ lookup(\\"env\\",\\"UNSET_VAR\\") | default('fallback.org', true) }}"
                jo_kubeconfig: "{{ lookup('env','UNSET_VAR') }}"
                """);
        Problems problems = new Problems();
        Environment environment = repo.open(name -> "SOME_VAR".equals(name) ? "some-value"
                        : "RECONCILER_ENV_LOOKUPS".equals(name) ? "SOME_VAR UNSET_VAR" : null).loader()
                .load("env", null, problems);
        assertEquals(List.of(), problems.all());
        var values = environment.apps().get(0).values();
        assertEquals("some-value-1", values.get("jo_image_tag").value());
        assertEquals("fallback.org", values.get("jo_ingress_domain").value());
        assertEquals("", values.get("jo_kubeconfig").value(), "an unset variable reads as '' as in Ansible");
    }

    @Test
    void lookupReadsTheProcessEnvironment() throws IOException {
        repo.write("environments/env.yaml", "reconciler_env_lookups: [DM_TEST_ENV]\n"
                + "jo_image_tag: \"{{ lookup('env', 'DM_TEST_ENV') }}\"\n");
        Problems problems = new Problems();
        Environment environment = repo.open().loader().load("env", null, problems);
        assertEquals("from-surefire", environment.apps().get(0).values().get("jo_image_tag").value());
    }

    @Test
    void invalidYamlNamesLine() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: 1.0.0\njo_namespace: [unclosed\n"));
        assertTrue(problem.where().startsWith("environments/env.yaml:"), problem.where());
        assertTrue(problem.message().startsWith("not valid YAML"), problem.message());
    }

    @Test
    void duplicateKeyIsAnError() throws IOException {
        Problem problem = only(load("env.yaml", "jo_image_tag: 1.0.0\njo_image_tag: 2.0.0\n"));
        assertEquals("environments/env.yaml:2", problem.where());
        assertTrue(problem.message().contains("duplicate key"), problem.message());
    }

    @Test
    void unknownApplicationPrefixAsksForApp() throws IOException {
        Problem problem = only(load("env.yaml", "foo_image_tag: 1\n"));
        assertTrue(problem.message().contains("pass --app"), problem.message());
    }

    @Test
    void stringsKeepTheirTextExactly() throws IOException {
        repo.write("environments/env.yaml", "jo_image_tag: 19.20\njo_cost_cost: 1.00\njo_pod_node_selector_value: yes\n");
        Problems problems = new Problems();
        var values = repo.open().loader().load("env", null, problems).apps().get(0).values();
        assertEquals("19.20", values.get("jo_image_tag").value());
        assertEquals("1.00", values.get("jo_cost_cost").value());
        assertEquals("yes", values.get("jo_pod_node_selector_value").value());
    }

    @Test
    void absentStateMarksTheApplicationAbsent() throws IOException {
        repo.write("environments/env.yaml", "jo_image_tag: 1.0.0\njo_state: absent\n");
        Problems problems = new Problems();
        assertTrue(!repo.open().loader().load("env", null, problems).apps().get(0).present());
    }

    // ---- native form ----

    @Test
    void nativeFormLayersDefaultsSharedEnvironmentAndNamespaceValues() throws IOException {
        repo.write("environments/shared/all.yaml", "jo_image_tag: 1.0.0\njo_ingress_domain: shared.org\njo_cost_cost: '3.00'\n")
            .write("environments/shared/more.yaml", "jo_ingress_domain: more.org\n")
            .write("environments/env.yaml", """
                include: [shared/all.yaml, shared/more.yaml]
                applications:
                  jupyter-operator:
                    values:
                      jo_cost_cost: '4.00'
                    namespaces:
                      ns-a:
                      ns-b:
                        jo_cost_cost: '5.00'
                """);
        Problems problems = new Problems();
        Environment environment = repo.open().loader().load("env", null, problems);
        assertEquals(List.of(), problems.all());
        AppInstance app = environment.apps().get(0);
        assertEquals("1.0.0", app.values().get("jo_image_tag").value(), "from the first shared file");
        assertEquals("more.org", app.values().get("jo_ingress_domain").value(), "later shared files win");
        assertEquals("4.00", app.values().get("jo_cost_cost").value(), "environment beats shared");
        assertEquals("environments/env.yaml:5", app.values().get("jo_cost_cost").where());
        assertEquals("data-manager-jupyter-operator", app.values().get("jo_namespace").value(), "bundle default");
        assertEquals("4.00", app.instances().get(0).values().get("jo_cost_cost").value());
        assertEquals("5.00", app.instances().get(1).values().get("jo_cost_cost").value(), "namespace beats environment");
        assertEquals("ns-b", app.instances().get(1).values().get("jo_dmapi_namespace").value());
        assertEquals(java.util.Set.of(), app.explicitApplicationNamespaces(), "jo_namespaces default is not explicit");
    }

    @Test
    void nativeFormErrorsAreAllReported() throws IOException {
        Problems problems = load("env.yaml", """
                clusterr: x
                include: [shared/missing.yaml]
                applications:
                  jupyter-operater: {}
                  jupyter-operator:
                    values:
                      jo_image_tag: 1.0.0
                    namespaces:
                      Bad_Name: {}
                      ok:
                        jo_dmapi_namespace: other
                """);
        List<String> messages = problems.all().stream().map(Problem::toString).toList();
        assertEquals(5, problems.errorCount(), messages.toString());
        assertTrue(messages.get(0).contains("environments/env.yaml:1: clusterr: unknown environment setting (did you mean 'cluster'?)"), messages.get(0));
        assertTrue(messages.stream().anyMatch(m -> m.contains("shared file 'environments/shared/missing.yaml' does not exist")));
        assertTrue(messages.stream().anyMatch(m -> m.contains("jupyter-operater: no such application (did you mean 'jupyter-operator'?)")));
        assertTrue(messages.stream().anyMatch(m -> m.contains("Bad_Name: not a valid namespace name")));
        assertTrue(messages.stream().anyMatch(m -> m.contains("ok.jo_dmapi_namespace: the namespace variable")));
    }

    @Test
    void includeCannotLeaveTheRepository() throws IOException {
        Problems problems = load("env.yaml", "include: [../../etc/passwd]\napplications: {}\n");
        assertTrue(only(problems).message().contains("leaves the repository"), problems.all().toString());
    }

    @Test
    void unknownEnvironmentSuggestsTheClosest() throws IOException {
        repo.write("environments/staging.yaml", "jo_image_tag: 1\n");
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> repo.open().loader().load("stagign", null, new Problems()));
        assertTrue(e.getMessage().contains("did you mean 'staging'"), e.getMessage());
    }

    @Test
    void environmentWithErrorsYieldsNoEnvironment() throws IOException {
        repo.write("environments/env.yaml", "jo_image_tag: SetMe\n");
        Problems problems = new Problems();
        assertNull(repo.open().loader().load("env", null, problems));
        assertNotNull(problems.all().get(0));
    }
}
