package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.source.DirectoryTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JupyterNotebook CRD the bundle renders, compared field by field with the seed's own CRD
 * (../shared/SEEDS.md §1): names, scope, both versions, conversion, printer columns with the seed's
 * descriptions (its spelling "acessing" kept), the schema of spec.imDataManager and the Data Manager annotations.
 */
class JupyterCrdSeedTest {

    private static final List<Map<String, Object>> SEED_COLUMNS = List.of(
            Map.of("name", "URL", "type", "string", "jsonPath", ".status.jupyter.notebook.url",
                    "description", "URL for acessing the Jupyter notebook."),
            Map.of("name", "Token", "type", "string", "jsonPath", ".status.jupyter.notebook.token",
                    "description", "Token for accessing the Jupyter notebook."));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> crd(String environmentName) throws java.io.IOException {
        ConfigRepo repo = new ConfigRepo(new DirectoryTree(TestRepo.projectRoot()), GoldenRenderTest::fixedEnv);
        Problems problems = new Problems();
        Environment environment = repo.loader().load(environmentName, null, problems);
        problems.throwIfErrors();
        DesiredState desired = new Renderer(repo, new TemplateEngine(repo.tree())).render(environment, null);
        return desired.objects().stream().map(RenderedObject::body)
                .filter(b -> "CustomResourceDefinition".equals(b.get("kind"))
                        && "jupyternotebooks.squonk.it".equals(((Map<String, Object>) b.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no JupyterNotebook CRD in " + environmentName));
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, String... path) {
        Object current = node;
        List<String> walked = new ArrayList<>();
        for (String key : path) {
            walked.add(key);
            assertNotNull(current, "missing " + String.join(".", walked));
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    @ParameterizedTest
    @ValueSource(strings = {"example", "staging-parameters"})
    @SuppressWarnings("unchecked")
    void theCrdMatchesTheSeedFieldForField(String environmentName) throws java.io.IOException {
        Map<String, Object> crd = crd(environmentName);
        assertEquals("apiextensions.k8s.io/v1", crd.get("apiVersion"));
        assertEquals("squonk.it", at(crd, "spec", "group"));
        assertEquals("Namespaced", at(crd, "spec", "scope"));
        assertEquals(Map.of("kind", "JupyterNotebook", "listKind", "JupyterNotebookList", "plural", "jupyternotebooks",
                "singular", "jupyternotebook"), at(crd, "spec", "names"));
        assertEquals(Map.of("strategy", "None"), at(crd, "spec", "conversion"), "conversion rendered explicitly");

        List<Map<String, Object>> versions = (List<Map<String, Object>>) at(crd, "spec", "versions");
        assertEquals(List.of("v2", "v1alpha3"), versions.stream().map(v -> v.get("name")).toList());
        assertEquals(List.of(true, false), versions.stream().map(v -> v.get("served")).toList());
        assertEquals(List.of(true, false), versions.stream().map(v -> v.get("storage")).toList());
        for (Map<String, Object> version : versions) {
            assertEquals(SEED_COLUMNS, version.get("additionalPrinterColumns"), "printer columns of " + version.get("name"));
            Map<String, Object> dm = (Map<String, Object>) at(version, "schema", "openAPIV3Schema", "properties", "spec",
                    "properties", "imDataManager", "properties");
            assertEquals(List.of("taskId", "image", "ingressClass", "ingressDomain", "ingressTlsSecret",
                    "ingressProxyBodySize", "serviceAccountName", "resources", "securityContext", "notebook", "project",
                    "labels"), List.copyOf(dm.keySet()), "schema of " + version.get("name"));
            for (String bound : List.of("limits", "requests")) {
                assertEquals(Map.of("cpu", Map.of("type", "string"), "memory", Map.of("type", "string"),
                        "storage", Map.of("type", "string")), at(dm, "resources", "properties", bound, "properties"));
            }
            assertEquals(Map.of("runAsUser", Map.of("type", "integer"), "runAsGroup", Map.of("type", "integer"),
                    "fsGroup", Map.of("type", "integer")), at(dm, "securityContext", "properties"));
            assertEquals(Map.of("interface", Map.of("type", "string")), at(dm, "notebook", "properties"));
            assertEquals(Map.of("claimName", Map.of("type", "string"), "id", Map.of("type", "string")),
                    at(dm, "project", "properties"));
            assertEquals(Map.of("type", "array", "items", Map.of("type", "string")), dm.get("labels"));
            assertEquals(Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true),
                    at(version, "schema", "openAPIV3Schema", "properties", "status"));
        }
        Map<String, Object> annotations = (Map<String, Object>) at(crd, "metadata", "annotations");
        assertEquals("yes", annotations.get("data-manager.informaticsmatters.com/application"));
        assertEquals("jupyter.notebook.url", annotations.get("data-manager.informaticsmatters.com/application-url-location"));
        assertNotNull(annotations.get("data-manager.informaticsmatters.com/application-namespaces"));
    }
}
