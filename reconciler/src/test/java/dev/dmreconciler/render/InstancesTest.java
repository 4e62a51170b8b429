package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import dev.dmreconciler.cli.Main;
import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Instance;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.RenderedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named instances: the native instances: map, instanceDir files (YAML and JSON), the Ansible form, scopes. */
class InstancesTest {

    /** The MAIAKubeGate README's example config, verbatim. */
    static final String README_JSON = """
            {"namespace": "machine-learning", "chart_name": "jupyterlab-1-v1", "docker_image": "jupyter/scipy-notebook",
             "tag": "latest", "memory_request": "4Gi", "allocationTime": "2", "cpu_request": "5000m",
             "ports": {"jupyter": [8888]},
             "persistent_volume": [{"mountPath": "/home/jovyan", "size": "100Gi", "access_mode": "ReadWriteOnce", "pvc_type": "local-hostpath"}]}
            """;

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void setUp() {
        repo = TestRepo.withProjectBundles(dir).withTestBundle("gate");
    }

    private Environment load(String name, Problems problems) throws IOException {
        return repo.open().loader().load(name, null, problems);
    }

    private DesiredState render(String name) {
        ConfigRepo config = repo.open();
        return Renderer.renderNamed(config, name);
    }

    private static List<String> keys(DesiredState desired) {
        return desired.objects().stream().map(o -> o.key().toString()).toList();
    }

    @Test
    void theReadmeJsonConfigIsAnEnvironmentFileAsItIs() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, README_JSON);
        CliResult result = repo.cli("render", "--env-file", config.toString(), "--app", "gate");
        assertEquals(Main.OK, result.exitCode(), result.err());
        assertTrue(result.out().contains("name: jupyterlab-1-v1\n  namespace: machine-learning"), result.out());
        assertTrue(result.out().contains("image: jupyter/scipy-notebook:latest"), result.out());
        assertTrue(result.out().contains("containerPort: 8888"), result.out());
        assertTrue(result.out().contains("name: jupyterlab-1-v1-metrics\n  namespace: ingress-nginx"), result.out());
        assertEquals("", result.err(), "no warnings: every key is a variable of the bundle");
    }

    @Test
    void aBundleWithoutPrefixIsNeverGuessed() {
        Path config = dir.resolve("config.json");
        try {
            Files.writeString(config, README_JSON);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliResult result = repo.cli("render", "--env-file", config.toString());
        assertEquals(Main.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().contains("pass --app"), result.err());
    }

    @Test
    void nativeInstancesShareANamespaceOrNot() throws IOException {
        repo.write("environments/env.yaml", """
                applications:
                  gate:
                    values: {docker_image: img, allocationTime: "2", tag: "1.0"}
                    instances:
                      alpha:
                        namespace: team-a
                      beta:
                        namespace: team-a
                        values: {tag: "2.0"}
                      gamma:
                        values: {namespace: team-b}
                """);
        Problems problems = new Problems();
        AppInstance app = load("env", problems).apps().get(0);
        assertEquals(List.of(), problems.all());
        assertEquals(List.of("alpha", "beta", "gamma"), app.instances().stream().map(Instance::name).toList());
        assertEquals(List.of("team-a", "team-a", "team-b"), app.instances().stream().map(Instance::namespace).toList());
        assertEquals("alpha", app.instances().get(0).values().get("chart_name").value(), "the name variable follows the key");
        assertEquals("2.0", app.instances().get(1).values().get("tag").value());
        assertEquals("1.0", app.instances().get(0).values().get("tag").value());
        DesiredState desired = render("env");
        assertTrue(keys(desired).containsAll(List.of("Deployment.apps team-a/alpha", "Deployment.apps team-a/beta",
                "Deployment.apps team-b/gamma", "Service ingress-nginx/gamma-metrics")), keys(desired).toString());
        RenderedObject beta = desired.objects().stream().filter(o -> o.key().name().equals("beta")).findFirst().orElseThrow();
        assertEquals("team-a", beta.dmNamespace(), "the object's scope is its instance's namespace");
    }

    @Test
    void instanceDirFilesAreInstancesAndRemovingOneRemovesItsObjects() throws IOException {
        repo.write("environments/users.yaml", """
                cluster: gpu
                applications:
                  gate:
                    values: {tag: "3.10"}
                    instanceDir: gate-users
                """)
                .write("environments/gate-users/jupyterlab-1-v1.json", README_JSON)
                .write("environments/gate-users/bob.yaml", "namespace: bob\ndocker_image: rstudio\nallocationTime: 3h\n")
                .write("environments/gate-users/carol.yml", "namespace: carol\nchart_name: carol-lab\n"
                        + "docker_image: lab\nallocationTime: '1'\n");
        Problems problems = new Problems();
        Environment environment = load("users", problems);
        assertEquals(List.of(), problems.all());
        List<Instance> instances = environment.apps().get(0).instances();
        assertEquals(List.of("bob", "carol-lab", "jupyterlab-1-v1"), instances.stream().map(Instance::name).toList(),
                "file base name, or chart_name when the file sets it");
        assertEquals("3.10", instances.get(0).values().get("tag").value(), "environment values are the layer below");
        assertEquals("latest", instances.get(2).values().get("tag").value(), "the file wins");
        assertEquals("environments/gate-users/bob.yaml:1", instances.get(0).where());
        assertEquals(List.of("users"), repo.open().loader().names(), "instance files are not environments");
        assertTrue(keys(render("users")).contains("Deployment.apps bob/bob"));

        Files.delete(dir.resolve("environments/gate-users/bob.yaml"));
        List<String> after = keys(render("users"));
        assertTrue(after.stream().noneMatch(k -> k.contains("bob")), after.toString());
        assertEquals(4, after.size(), after.toString());
    }

    @Test
    void requiredIsCheckedPerInstanceNamingItsFile() throws IOException {
        repo.write("environments/env.yaml", "applications:\n  gate:\n    instanceDir: users\n")
                .write("environments/users/ok.yaml", "namespace: a\ndocker_image: x\nallocationTime: '2'\n")
                .write("environments/users/bad.yaml", "namespace: b\nallocationTime: '2'\n");
        Problems problems = new Problems();
        load("env", problems);
        assertEquals(1, problems.errorCount(), problems.all().toString());
        Problem problem = problems.all().get(0);
        assertEquals("environments/users/bad.yaml", problem.where());
        assertEquals("docker_image", problem.subject());
    }

    @Test
    void twoInstancesOfOneNameAreRefused() throws IOException {
        repo.write("environments/env.yaml", """
                applications:
                  gate:
                    values: {docker_image: x, allocationTime: '2'}
                    instances:
                      same: {namespace: a}
                    instanceDir: users
                """).write("environments/users/same.json", "{\"namespace\": \"b\"}");
        Problems problems = new Problems();
        load("env", problems);
        assertTrue(problems.all().stream().anyMatch(p -> p.message().startsWith("instance declared twice (also at "
                + "environments/env.yaml:5)")), problems.all().toString());
    }

    @Test
    void anObjectOutsideTheApplicationsNamespacesNamesTemplateAndObject() {
        repo.write("templates/gate/metrics.yaml.ftl", """
                apiVersion: v1
                kind: Service
                metadata: {name: m, namespace: kube-system}
                """)
                .write("environments/env.yaml", "namespace: a\nchart_name: x\ndocker_image: x\nallocationTime: '2'\n");
        ConfigRepo config = repo.open();
        Problems problems = new Problems();
        Environment environment;
        try {
            environment = config.loader().load("env", "gate", problems);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> new Renderer(config, new TemplateEngine(config.tree())).render(environment, null));
        assertTrue(error.getMessage().contains("templates/gate/metrics.yaml.ftl (document 1): Service kube-system/m is "
                + "rendered for instance a but sets namespace kube-system; list it in the template entry's namespaces:"),
                error.getMessage());
    }

    @Test
    void aTemplateEntrysLifecycleIsStampedUnlessTheTemplateSetsIt() {
        repo.write("environments/env.yaml", "applications:\n  gate:\n    values: {docker_image: x, allocationTime: '2'}\n"
                + "    instances: {one: {namespace: a}}\n");
        DesiredState desired = render("env");
        assertEquals("keep", annotation(desired, "one-metrics"));
        assertNull(annotation(desired, "one"));
        repo.write("templates/gate/metrics.yaml.ftl", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: ${chart_name}-metrics
                  namespace: ingress-nginx
                  annotations: {dm-reconciler.dev/lifecycle: recreate}
                """);
        assertEquals("recreate", annotation(render("env"), "one-metrics"));
    }

    @SuppressWarnings("unchecked")
    private static String annotation(DesiredState desired, String name) {
        Map<String, Object> metadata = (Map<String, Object>) desired.objects().stream()
                .filter(o -> o.key().name().equals(name)).findFirst().orElseThrow().body().get("metadata");
        Map<String, Object> annotations = (Map<String, Object>) metadata.get("annotations");
        return annotations == null ? null : (String) annotations.get(Renderer.LIFECYCLE_ANNOTATION);
    }

    @Test
    void preconditionsAreRenderedPerInstanceAndGuardTheirObjects() {
        repo.write("environments/env.yaml", "applications:\n  gate:\n    values: {docker_image: x, allocationTime: '2'}\n"
                + "    instances: {one: {namespace: a}, two: {namespace: b}}\n");
        DesiredState desired = render("env");
        List<String> shown = desired.preconditions().stream().map(r -> r.kind() + " "
                + (r.namespace().isEmpty() ? r.defaultNamespace() : r.namespace()) + "/" + r.name() + " guards "
                + r.guards().size()).sorted().toList();
        assertEquals(List.of("Namespace null/a guards 2", "Namespace null/b guards 2", "Namespace null/ingress-nginx guards 4",
                "Secret a/one-token guards 2", "Secret b/two-token guards 2"), shown);
        RequiredObject secret = desired.preconditions().stream().filter(r -> r.name().equals("two-token")).findFirst()
                .orElseThrow();
        assertEquals("two", secret.instance());
        assertEquals(List.of("Deployment.apps b/two", "Service ingress-nginx/two-metrics"),
                secret.guards().stream().map(Object::toString).sorted().toList());
    }

    @Test
    void theJupyterFormIsOneInstancePerNamespaceWithTheDataManagerServiceAccountCheck() {
        repo.write("environments/env.yaml", """
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 1.0.0}
                    namespaces: [dm-a, dm-b]
                """);
        DesiredState desired = render("env");
        assertEquals(List.of("dm-a", "dm-b"), desired.environment().apps().get(0).instances().stream()
                .map(Instance::name).toList());
        List<String> shown = desired.preconditions().stream().map(r -> r.kind() + " " + r.namespace() + "/" + r.name()
                + " " + r.guards().size()).sorted().toList();
        assertEquals(List.of("Namespace /dm-a 3", "Namespace /dm-b 3", "ServiceAccount dm-a/data-manager 3",
                "ServiceAccount dm-b/data-manager 3"), shown);
    }
}
