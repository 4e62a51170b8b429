package dev.dmreconciler.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The maiakubegate bundle's rendering table, offline: one MAIAKubeGate JSON config file rendered with
 * {@code render --env-file FILE --app maiakubegate}, varying one key at a time.
 */
class MaiaKubeGateRenderTest {

    private static final String BASE = """
            "namespace": "ml", "chart_name": "lab-1", "docker_image": "jupyter/scipy-notebook"
            """;

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void repo() {
        repo = TestRepo.withProjectBundles(dir.resolve("repo"));
    }

    private CliResult render(String extraKeys) {
        String allocation = extraKeys.contains("allocationTime") ? "" : ", \"allocationTime\": \"2\"";
        String json = "{" + BASE + allocation + (extraKeys.isEmpty() ? "" : ", " + extraKeys) + "}";
        repo.write("config.json", json);
        return repo.cli("render", "--env-file", repo.root().resolve("config.json").toString(), "--app", "maiakubegate");
    }

    /** kind + " " + name → object. */
    private Map<String, Map<String, Object>> objects(String extraKeys) {
        CliResult result = render(extraKeys);
        assertEquals(0, result.exitCode(), result.out() + result.err());
        Map<String, Map<String, Object>> objects = new TreeMap<>();
        for (Object document : new Yaml().loadAll(result.out())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) document;
            objects.put(object.get("kind") + " " + get(object, "metadata", "name"), object);
        }
        return objects;
    }

    @ParameterizedTest
    @CsvSource({"'\"2\"', 172800", "'\"2d\"', 172800", "'\"3h\"', 10800", "'\"30m\"', 1800", "'\"10s\"', 10",
            "'1', 86400"})
    void allocationTimeBecomesTheJobsDeadlineWithDaysAsTheDefaultUnit(String allocation, long seconds) {
        Map<String, Object> job = objects("\"allocationTime\": " + allocation).get("Job lab-1");
        assertEquals(seconds, ((Number) get(job, "spec", "activeDeadlineSeconds")).longValue());
        assertEquals(0, get(job, "spec", "backoffLimit"));
        assertEquals("Never", get(job, "spec", "template", "spec", "restartPolicy"));
        assertEquals("create-once,recreate", get(job, "metadata", "annotations", "dm-reconciler.dev/lifecycle"));
    }

    @Test
    void aBadAllocationTimeIsAnErrorNamingTheValue() {
        CliResult result = render("\"allocationTime\": \"two days\"");
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("two days"), result.err());
        assertFalse(result.err().contains("freemarker.") || result.err().contains("Exception"), result.err());
    }

    @Test
    void theMinimalConfigIsOneJobWithoutServiceOrIngress() {
        Map<String, Map<String, Object>> objects = objects("");
        assertEquals(List.of("Job lab-1"), List.copyOf(objects.keySet()));
        Map<String, Object> container = container(objects.get("Job lab-1"));
        assertEquals("jupyter/scipy-notebook:latest", container.get("image"));
        assertEquals("Always", container.get("imagePullPolicy"), "tag latest moves");
        assertEquals(Map.of("cpu", "500m", "memory", "1Gi"), get(container, "resources", "limits"));
    }

    @Test
    void quantitiesAreStringsWhetherWrittenAsNumbersOrText() {
        Map<String, Object> container = container(objects(
                "\"cpu_request\": 8, \"memory_request\": \"32Gi\", \"gpu_request\": 2").get("Job lab-1"));
        assertEquals(Map.of("cpu", "8", "memory", "32Gi", "nvidia.com/gpu", "2"), get(container, "resources", "limits"));
        assertEquals(Map.of("cpu", "8", "memory", "32Gi"), get(container, "resources", "requests"));
        Map<String, Object> textual = container(objects("\"gpu_request\": \"1\", \"cpu_request\": \"5000m\"").get("Job lab-1"));
        assertEquals("1", get(textual, "resources", "limits", "nvidia.com/gpu"));
        assertEquals("5", get(textual, "resources", "limits", "cpu"), "written as the API server stores it");
    }

    @ParameterizedTest
    @CsvSource({"'\"0\"'", "0", "'\"\"'"})
    void noGpuMeansNoGpuLimit(String gpu) {
        Map<String, Object> container = container(objects("\"gpu_request\": " + gpu).get("Job lab-1"));
        assertNull(get(container, "resources", "limits", "nvidia.com/gpu"));
    }

    @Test
    void portsAsNumbersOrStringsClusterIpAndNodePort() {
        Map<String, Object> clusterIp = objects("\"ports\": {\"jupyter\": [8888], \"board\": [\"6006\"]}").get("Service lab-1");
        assertEquals("ClusterIP", get(clusterIp, "spec", "type"));
        assertEquals(List.of(Map.of("name", "board", "protocol", "TCP", "port", 6006, "targetPort", 6006),
                Map.of("name", "jupyter", "protocol", "TCP", "port", 8888, "targetPort", 8888)), get(clusterIp, "spec", "ports"));
        Map<String, Object> nodePort = objects("\"service_type\": \"NodePort\", \"ports\": {\"jupyter\": [8888, \"30888\"]}")
                .get("Service lab-1");
        assertEquals(List.of(Map.of("name", "jupyter", "protocol", "TCP", "port", 8888, "targetPort", 8888, "nodePort", 30888)),
                get(nodePort, "spec", "ports"));
    }

    @Test
    void aDeploymentInsteadOfAJob() {
        Map<String, Map<String, Object>> objects = objects("\"deployment\": true");
        assertEquals(List.of("Deployment lab-1"), List.copyOf(objects.keySet()));
        assertEquals("Recreate", get(objects.get("Deployment lab-1"), "spec", "strategy", "type"));
        assertNull(get(objects.get("Deployment lab-1"), "metadata", "annotations"), "no Job lifecycle on a Deployment");
    }

    @Test
    void volumesClaimsAndExistingClaims() {
        Map<String, Map<String, Object>> objects = objects("""
                "persistent_volume": [{"mountPath": "/home/jovyan", "size": "100Gi", "access_mode": "ReadWriteOnce", "pvc_type": "local-hostpath"},
                                      {"mountPath": "/scratch", "size": 10, "access_mode": "ReadWriteMany", "pvc_type": "nfs", "readOnly": true}],
                "existing_persistent_volume": [{"name": "datasets", "mountPath": "/data"}]
                """);
        assertEquals("ReadWriteMany", ((List<?>) get(objects.get("PersistentVolumeClaim lab-1-claim-1"), "spec", "accessModes")).get(0));
        assertEquals("nfs", get(objects.get("PersistentVolumeClaim lab-1-claim-1"), "spec", "storageClassName"));
        assertEquals("10", get(objects.get("PersistentVolumeClaim lab-1-claim-1"), "spec", "resources", "requests", "storage"));
        assertEquals("keep", get(objects.get("PersistentVolumeClaim lab-1-claim-0"), "metadata", "annotations",
                "dm-reconciler.dev/lifecycle"), "user data outlives the instance");
        Map<String, Object> container = container(objects.get("Job lab-1"));
        assertEquals(List.of(Map.of("name", "claim-0", "mountPath", "/home/jovyan"),
                Map.of("name", "claim-1", "mountPath", "/scratch", "readOnly", true),
                Map.of("name", "existing-0", "mountPath", "/data")), container.get("volumeMounts"));
        assertEquals(List.of(Map.of("name", "claim-0", "persistentVolumeClaim", Map.of("claimName", "lab-1-claim-0")),
                Map.of("name", "claim-1", "persistentVolumeClaim", Map.of("claimName", "lab-1-claim-1")),
                Map.of("name", "existing-0", "persistentVolumeClaim", Map.of("claimName", "datasets"))),
                get(objects.get("Job lab-1"), "spec", "template", "spec", "volumes"));
    }

    @Test
    void userSecretsAllKeysOrNamedKeys() {
        Map<String, Object> all = container(objects("\"user_secret\": [\"s1\", \"s2\"]").get("Job lab-1"));
        assertEquals(List.of(Map.of("secretRef", Map.of("name", "s1")), Map.of("secretRef", Map.of("name", "s2"))),
                all.get("envFrom"));
        Map<String, Object> named = container(objects("\"user_secret\": [\"s1\"], \"user_secret_params\": [\"TOKEN\"],"
                + " \"env_variables\": {\"A\": 1}").get("Job lab-1"));
        assertEquals(List.of(Map.of("name", "A", "value", "1"),
                Map.of("name", "TOKEN", "valueFrom", Map.of("secretKeyRef", Map.of("name", "s1", "key", "TOKEN")))),
                named.get("env"));
        assertNull(named.get("envFrom"));
    }

    @Test
    void nodeAndGpuSelectors() {
        Map<String, Object> job = objects("\"node_selector\": \"gpu-node-7\", \"gpu_selector\": {\"type\": \"NVIDIA-A40\", \"vram\": 48}")
                .get("Job lab-1");
        assertEquals(Map.of("kubernetes.io/hostname", "gpu-node-7", "nvidia.com/gpu.product", "NVIDIA-A40",
                "nvidia.com/gpu.memory", "48"), get(job, "spec", "template", "spec", "nodeSelector"));
    }

    @Test
    void nginxIngressWithOauthAndTraefikIngress() {
        Map<String, Object> nginx = objects("\"ports\": {\"http\": [80]}, \"ingress\": {\"host\": \"lab.example.org\","
                + " \"port\": \"80\", \"oauth_url\": \"https://oauth.example.org\"}").get("Ingress lab-1");
        assertEquals("nginx", get(nginx, "spec", "ingressClassName"));
        assertEquals(Map.of("cert-manager.io/cluster-issuer", "letsencrypt-prod",
                "nginx.ingress.kubernetes.io/auth-url", "https://oauth.example.org/oauth2/auth",
                "nginx.ingress.kubernetes.io/auth-signin", "https://oauth.example.org/oauth2/start?rd=$escaped_request_uri"),
                get(nginx, "metadata", "annotations"));
        Map<String, Object> traefik = objects("\"ports\": {\"http\": [80]}, \"ingress\": {\"host\": \"lab.example.org\","
                + " \"port\": 80}, \"ingress_class\": \"traefik\"").get("Ingress lab-1");
        assertEquals("traefik", get(traefik, "spec", "ingressClassName"));
        assertEquals("websecure", get(traefik, "metadata", "annotations", "traefik.ingress.kubernetes.io/router.entrypoints"));
        assertEquals(80, get(traefik, "spec", "rules", 0, "http", "paths", 0, "backend", "service", "port", "number"));
    }

    @Test
    void clustersLimitsWhereTheInstanceRuns() {
        assertEquals(List.of(), List.copyOf(objects("\"clusters\": [\"gpu-cluster\"]").keySet()),
                "not listed for this environment's cluster (default): nothing");
        assertEquals(List.of("Job lab-1"), List.copyOf(objects("\"clusters\": [\"gpu-cluster\", \"default\"]").keySet()));
    }

    @Test
    void mountFilesComeFromTheBundlesFilesFolderLiterally() {
        repo.write("templates/maiakubegate/files/users/lab-1/jupyter_config.py", "c.ServerApp.root_dir = '${HOME}/work'\n");
        Map<String, Map<String, Object>> objects = objects(
                "\"mount_files\": {\"jupyter_config\": [\"users/lab-1/jupyter_config.py\", \"/etc/jupyter/jupyter_config.py\"]}");
        Map<String, Object> configMap = objects.get("ConfigMap lab-1-jupyter-config");
        assertEquals(Map.of("jupyter_config.py", "c.ServerApp.root_dir = '${HOME}/work'\n"), configMap.get("data"));
        assertEquals(List.of(Map.of("name", "file-0", "mountPath", "/etc/jupyter/jupyter_config.py", "subPath", "jupyter_config.py")),
                container(objects.get("Job lab-1")).get("volumeMounts"));
    }

    @Test
    void aMissingMountFileIsAnErrorNamingIt() {
        CliResult result = render("\"mount_files\": {\"cfg\": [\"nowhere/config.yaml\", \"/etc/config.yaml\"]}");
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("nowhere/config.yaml"), result.err());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> workload) {
        return (Map<String, Object>) get(workload, "spec", "template", "spec", "containers", 0);
    }

    @SuppressWarnings("unchecked")
    private static Object get(Object object, Object... path) {
        Object current = object;
        for (Object step : path) {
            if (current == null) {
                return null;
            }
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
        }
        return current;
    }
}
