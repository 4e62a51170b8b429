package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.RenderedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** The parameter files of eight real installations, exactly as the Ansible playbooks take them. */
class SeedParameterFilesTest {

    private static final Path SEEDS = Path.of("src/test/resources/seed-params").toAbsolutePath();

    @TempDir
    Path dir;

    static Stream<String> seedFiles() throws IOException {
        try (Stream<Path> files = Files.list(SEEDS)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("seedFiles")
    void everyRealParameterFileRendersUnchanged(String file) throws IOException {
        Map<String, Object> params = new Yaml().load(Files.readString(SEEDS.resolve(file)));
        List<RenderedObject> objects = render(file, "/root/.kube/config");

        List<String> kinds = objects.stream().map(o -> o.key().kind()).toList();
        assertEquals(List.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding",
                "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Deployment"), kinds);
        String dmNamespace = (String) params.get("jo_dmapi_namespace");
        objects.stream().filter(o -> o.dmNamespace() != null)
                .forEach(o -> assertEquals(dmNamespace, o.key().namespace(), o.key().toString()));

        Map<String, Object> container = container(find(objects, "Deployment"));
        assertEquals("informaticsmatters/data-manager-jupyter-operator:" + params.get("jo_image_tag"), container.get("image"));
        assertEquals("IfNotPresent", container.get("imagePullPolicy"));
        Map<String, String> env = env(container);
        assertEquals(params.get("jo_ingress_domain"), env.get("INGRESS_DOMAIN"));
        assertEquals("data-manager-api-tls", env.get("INGRESS_TLS_SECRET"));
        assertFalse(env.containsKey("INGRESS_CERT_ISSUER"), "the TLS secret replaces the issuer");
        assertEquals(params.getOrDefault("jo_pod_node_selector_key", "informaticsmatters.com/purpose-worker"),
                env.get("JO_POD_NODE_SELECTOR_KEY"));
        assertEquals(params.getOrDefault("jo_pod_node_selector_value", "yes"), env.get("JO_POD_NODE_SELECTOR_VALUE"));

        String annotation = annotations(find(objects, "CustomResourceDefinition"))
                .get("data-manager.informaticsmatters.com/application-namespaces");
        for (String namespace : ((String) params.get("jo_namespaces")).split(":")) {
            assertTrue(annotation.contains(namespace), annotation + " contains " + namespace);
        }
        assertTrue(annotation.contains(dmNamespace), "the file's own DM namespace is in the union");
    }

    @Test
    void leftoverVariablesAreWarningsNamingFileAndLineWithASuggestion() throws IOException {
        Problems problems = new Problems();
        ConfigRepo repo = TestRepo.withProjectBundles(dir).open(name -> null);
        repo.loader().parse("xchem-prod-parameters", "xchem-prod-parameters.yaml",
                Files.readAllBytes(SEEDS.resolve("xchem-prod-parameters.yaml")), null, problems);
        List<Problem> warnings = problems.all();
        assertEquals(1, warnings.size(), warnings.toString());
        assertFalse(warnings.get(0).isError());
        assertEquals("xchem-prod-parameters.yaml:11", warnings.get(0).where());
        assertEquals("jo_fallback_node_selector_key", warnings.get(0).subject());
        assertTrue(warnings.get(0).message().contains("did you mean 'jo_pod_node_selector_key'"), warnings.get(0).message());
    }

    @Test
    void lookupOfTheKubeconfigEnvironmentVariableIsEvaluated() throws IOException {
        ConfigRepo repo = TestRepo.withProjectBundles(dir).open(name -> "KUBECONFIG".equals(name) ? "/tmp/k.yaml" : null);
        Problems problems = new Problems();
        Environment environment = repo.loader().parse("staging", "staging.yaml",
                Files.readAllBytes(SEEDS.resolve("staging-parameters.yaml")), null, problems);
        assertEquals("/tmp/k.yaml", environment.apps().get(0).values().get("jo_kubeconfig").value());
    }

    private List<RenderedObject> render(String file, String kubeconfig) throws IOException {
        ConfigRepo repo = TestRepo.withProjectBundles(dir).open(name -> "KUBECONFIG".equals(name) ? kubeconfig : null);
        Problems problems = new Problems();
        Environment environment = repo.loader().parse(file.replace(".yaml", ""), file,
                Files.readAllBytes(SEEDS.resolve(file)), null, problems);
        problems.throwIfErrors();
        return new Renderer(repo, new TemplateEngine(repo.tree())).render(environment, null).objects();
    }

    static RenderedObject find(List<RenderedObject> objects, String kind) {
        return objects.stream().filter(o -> o.key().kind().equals(kind)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(RenderedObject deployment) {
        Map<String, Object> spec = (Map<String, Object>) deployment.body().get("spec");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
        return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        ((List<Map<String, Object>>) container.get("env")).forEach(e -> env.put((String) e.get("name"), (String) e.get("value")));
        return env;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> annotations(RenderedObject object) {
        return (Map<String, String>) ((Map<String, Object>) object.body().get("metadata")).get("annotations");
    }
}
