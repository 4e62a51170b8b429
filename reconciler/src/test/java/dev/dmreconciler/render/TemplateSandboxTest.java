package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.RenderedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates are strict and sandboxed, and their output must be proper Kubernetes objects. */
class TemplateSandboxTest {

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void setUp() {
        repo = TestRepo.empty(dir).write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                templates:
                  - file: templates/probe/cluster.yaml.ftl
                  - file: templates/probe/per-namespace.yaml.ftl
                    scope: namespace
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: dm}
                  pr_name: {default: probe}
                """)
                .write("templates/probe/cluster.yaml.ftl", "")
                .write("templates/probe/per-namespace.yaml.ftl", "")
                .write("environments/env.yaml", "pr_name: probe\n");
    }

    private List<RenderedObject> render(String clusterTemplate) throws IOException {
        repo.write("templates/probe/cluster.yaml.ftl", clusterTemplate);
        ConfigRepo config = repo.open();
        Problems problems = new Problems();
        Environment environment = config.loader().load("env", null, problems);
        problems.throwIfErrors();
        return new Renderer(config, new TemplateEngine(config.tree())).render(environment, null).objects();
    }

    private Problem failure(String clusterTemplate) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> render(clusterTemplate));
        assertEquals(1, e.problems().all().size(), e.problems().all().toString());
        return e.problems().all().get(0);
    }

    @Test
    void undefinedVariableNamesTemplateLineAndEnvironment() {
        Problem problem = failure("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${pr_nmae}\n");
        assertEquals("templates/probe/cluster.yaml.ftl:4", problem.where());
        assertTrue(problem.message().contains("pr_nmae"), problem.message());
        assertTrue(problem.message().contains("(environment env, application probe)"), problem.message());
    }

    @Test
    void newBuiltInCannotInstantiateClasses() {
        Problem problem = failure("<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}");
        assertEquals("templates/probe/cluster.yaml.ftl:1", problem.where());
        assertTrue(problem.message().contains("Execute"), problem.message());
    }

    @Test
    void apiBuiltInIsDisabled() {
        Problem problem = failure("${pr_name?api.getClass()}");
        assertTrue(problem.message().toLowerCase().contains("api"), problem.message());
    }

    @Test
    void includeCannotClimbOutOfTheRepository() {
        Problem problem = failure("<#include \"../../../../../../../../etc/passwd\">");
        assertTrue(problem.message().contains("etc/passwd") || problem.message().contains("root"), problem.message());
    }

    @Test
    void absoluteIncludeIsRepositoryRelativeAndFindsNothing() {
        Problem problem = failure("<#include \"/etc/passwd\">");
        assertTrue(problem.message().contains("not found"), problem.message());
    }

    @Test
    void includeCannotReadEnvironmentFiles() {
        Problem problem = failure("<#include \"/environments/env.yaml\">");
        assertTrue(problem.message().contains("not found"), problem.message());
    }

    @Test
    void symbolicLinkOutOfTheRepositoryIsNotFollowed() throws IOException {
        Path outside = Files.writeString(dir.getParent().resolve(dir.getFileName() + "-secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("templates/probe/link.ftl"), outside);
        Problem problem = failure("<#include \"link.ftl\">");
        assertTrue(problem.message().contains("not found"), problem.message());
        Files.delete(outside);
    }

    @Test
    void syntaxErrorNamesLine() {
        Problem problem = failure("a: 1\n<#if>\n");
        assertEquals("templates/probe/cluster.yaml.ftl:2", problem.where());
        assertTrue(problem.message().startsWith("template syntax error"), problem.message());
    }

    @Test
    void objectsNeedApiVersionKindAndName() {
        assertTrue(failure("kind: Namespace\nmetadata: {name: a}\n").message().contains("has no apiVersion"));
        assertTrue(failure("apiVersion: v1\nmetadata: {name: a}\n").message().contains("has no kind"));
        assertTrue(failure("apiVersion: v1\nkind: Namespace\nmetadata: {}\n").message().contains("has no metadata.name"));
    }

    @Test
    void renderedYamlErrorsQuoteTheRenderedLine() {
        Problem problem = failure("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\ndata:\n  x: [${pr_name}\n");
        assertTrue(problem.message().contains("not valid YAML"), problem.message());
    }

    @Test
    void environmentScopeNamespacedObjectMustNameItsNamespace() {
        Problem problem = failure("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        assertTrue(problem.message().contains("sets no metadata.namespace"), problem.message());
    }

    @Test
    void clusterScopedObjectMustNotSetANamespace() {
        Problem problem = failure("apiVersion: v1\nkind: Namespace\nmetadata: {name: a, namespace: b}\n");
        assertTrue(problem.message().contains("cluster-scoped but sets a namespace"), problem.message());
    }

    @Test
    void sameObjectTwiceIsAnError() {
        Problem problem = failure("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
                + "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
        assertTrue(problem.message().contains("rendered twice"), problem.message());
    }

    @Test
    void perNamespaceObjectsLandInTheirDataManagerNamespace() throws IOException {
        repo.write("templates/probe/per-namespace.yaml.ftl",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {ns: ${namespace?c}}\n");
        List<RenderedObject> objects = render("---\n");
        assertEquals(1, objects.size());
        assertEquals("dm", objects.get(0).key().namespace());
        assertEquals("dm", objects.get(0).dmNamespace());
        assertEquals(List.of("name", "namespace", "labels"),
                List.copyOf(((java.util.Map<?, ?>) objects.get(0).body().get("metadata")).keySet()));
    }

    @Test
    void perNamespaceObjectCannotTargetAnotherNamespace() {
        repo.write("templates/probe/per-namespace.yaml.ftl",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: elsewhere}\n");
        Problem problem = failure("");
        assertTrue(problem.message().contains("sets namespace elsewhere"), problem.message());
    }

    @Test
    void emptyDocumentsFromConditionalsAreSkipped() throws IOException {
        assertEquals(List.of(), render("<#if false>\napiVersion: v1\n</#if>\n---\n---\n"));
    }
}
