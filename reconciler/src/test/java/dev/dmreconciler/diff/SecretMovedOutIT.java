package dev.dmreconciler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import dev.dmreconciler.secrets.AnsibleVault;
import dev.dmreconciler.secrets.Fixtures;
import dev.dmreconciler.secrets.Redactor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reviews S11-F8 and S11-F14 on a real API server. A vault value a template put into a ConfigMap is applied (by
 * another process: this one must never read the value, as a CI diff job never read an earlier commit's secret):
 * the ConfigMap's hash in its annotation and the inventory is keyed (no SHA-256 of the canonical text a word list
 * can rebuild), and the inventory entry records the place, not the value. Then the value moves out of the
 * ConfigMap (into a Secret made outside git): the live diff, which no longer knows the value, shows the place as
 * {@code <redacted>} instead of printing the old value from the cluster.
 */
class SecretMovedOutIT {

    private static final String VALUE = "rotated-secret-AAAA-f14-it";
    /** The shared fixtures' vault password (../shared/secret-fixtures/ansible-vault/vault-password.txt). */
    private static final String PASSWORD = Fixtures.read("ansible-vault/vault-password.txt").strip();
    private static RealApiServer server;
    private static KubernetesClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client();
        RealApiServer.createDataManagerNamespace(client, "lk-ns");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String inlineVault(String key, String value) {
        StringBuilder out = new StringBuilder(key).append(": !vault |\n");
        AnsibleVault.encrypt(value.getBytes(StandardCharsets.UTF_8), PASSWORD.toCharArray()).lines()
                .forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    /** What the reconciler applied, rebuilt from the live object: the text anyone with the repository can hash. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> applied(ConfigMap live) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", live.getMetadata().getName());
        metadata.put("namespace", live.getMetadata().getNamespace());
        metadata.put("labels", new LinkedHashMap<>(live.getMetadata().getLabels()));
        Map<String, Object> annotations = new LinkedHashMap<>(live.getMetadata().getAnnotations());
        annotations.remove(Stamp.HASH);
        metadata.put("annotations", annotations);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "ConfigMap");
        body.put("metadata", metadata);
        body.put("data", new LinkedHashMap<>(live.getData()));
        return body;
    }

    @Test
    void theHashIsKeyedAndAValueMovedOutIsNotPrintedFromTheCluster() throws Exception {
        TestRepo repo = TestRepo.empty(dir.resolve("repo")).write("templates/leaky/bundle.yaml", """
                name: leaky
                prefix: lk_
                namespaceVariable: lk_namespace
                templates:
                  - {file: templates/leaky/cm.yaml.ftl, scope: namespace}
                variables:
                  lk_namespace: {default: lk-ns}
                  lk_value: {default: none}
                """).write("templates/leaky/cm.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one}
                data:
                  conf: "${lk_value}"
                  LOG: info
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: two}
                data: {LOG: info}
                """).write("environments/leaky.yaml", "lk_namespace: lk-ns\n" + inlineVault("lk_value", VALUE));
        Path password = Fixtures.path("ansible-vault/vault-password.txt");

        String report = OtherProcess.apply(server.kubeconfigYaml(), repo.root().toString(), "leaky", password.toString());
        assertTrue(report.contains("created ConfigMap lk-ns/one"), report);
        assertFalse(Redactor.global().contains(VALUE), "this process never read the value (the premise of the finding)");
        ConfigMap one = client.configMaps().inNamespace("lk-ns").withName("one").get();
        ConfigMap two = client.configMaps().inNamespace("lk-ns").withName("two").get();
        assertEquals(VALUE, one.getData().get("conf"), "applied as written");

        // S11-F8: the plain SHA-256 of the canonical text is not what the annotation or the inventory holds
        String oneHash = one.getMetadata().getAnnotations().get(Stamp.HASH);
        assertEquals(two.getMetadata().getAnnotations().get(Stamp.HASH), Stamp.hash(applied(two)),
                "the rebuilt text is the hashed one (an object without the secret keeps the plain digest)");
        assertNotEquals(Stamp.hash(applied(one)), oneHash, "no word-list oracle for the vault value");
        byte[] key = Base64.getDecoder().decode(client.secrets().inNamespace("dm-reconciler").withName("dm-reconciler-hash-key")
                .get().getData().get("key"));
        assertEquals(Stamp.keyedHash(applied(one), key), oneHash, "keyed with the cluster's key, as a Secret is");
        InventoryStore store = new InventoryStore(client, "dm-reconciler", ApplyOptions.defaults().fieldManager());
        Inventory inventory = store.loadAll("leaky").get("leaky");
        Inventory.Entry entry = inventory.entries().get(new ObjectKey("", "ConfigMap", "lk-ns", "one"));
        assertEquals(oneHash, entry.hash());
        assertEquals(List.of("/data/conf"), entry.secretPaths(), "the place, recorded at apply");
        assertEquals(List.of(), inventory.entries().get(new ObjectKey("", "ConfigMap", "lk-ns", "two")).secretPaths());
        assertFalse(entry.extra().toString().contains(VALUE));
        assertFalse(one.getMetadata().getAnnotations().keySet().stream().anyMatch(k -> k.contains("secret")),
                "no mark on the live object: " + one.getMetadata().getAnnotations());

        // S11-F14: the value moves into a Secret made outside git; the environment no longer has it
        repo.write("templates/leaky/cm.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one}
                data:
                  passwordFrom: secret db-credentials
                  LOG: info
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: two}
                data: {LOG: debug}
                """).write("environments/leaky.yaml", "lk_namespace: lk-ns\n");
        DesiredState desired = Renderer.renderNamed(repo.open(), "leaky");
        EnvironmentDiff diff = new LiveDiff(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler")
                .diff(desired, null);
        assertEquals(List.of(), diff.errors());
        ObjectDiff moved = diff.objects().stream().filter(o -> o.key().name().equals("one")).findFirst().orElseThrow();
        assertFalse(moved.unified().contains(VALUE), moved.unified());
        assertTrue(moved.before().contains("conf: <redacted>"), moved.before());
        assertTrue(moved.after().contains("passwordFrom: secret db-credentials"), moved.after());
        ObjectDiff other = diff.objects().stream().filter(o -> o.key().name().equals("two")).findFirst().orElseThrow();
        assertTrue(other.before().contains("LOG: info") && other.after().contains("LOG: debug"),
                "an object that held no secret shows its live values:\n" + other.unified());
        assertFalse(Redactor.global().contains(VALUE), "still unknown here: the inventory's places hid it");
    }
}
