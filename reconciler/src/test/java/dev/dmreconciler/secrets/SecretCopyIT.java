package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret copies on a real API server: one existing Secret (AWS credentials, with an owner reference and labels of its
 * own) copied into every instance namespace, and a Secret the environment itself lists (a manifest) copied into two
 * namespaces in the same pass. Copies carry only the source's type and data, the reconciler's marks and a keyed hash;
 * they are inventoried, pruned when no longer declared, follow a changed source on the next pass, and a missing source
 * fails the environment with zero writes. No output shows a value or its base64.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretCopyIT {

    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ROTATED = "rotated-je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    private static final String PULL = "{\"auths\":{\"registry.example.org\":{\"auth\":\"dXNlcjpwdWxsLXBhc3N3b3JkLTQ0\"}}}";

    private static RealApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static TestRepo repo;
    private static final List<String> outputs = new ArrayList<>();

    @TempDir
    static Path dir;

    private static final String ENV = """
            cluster: copies
            manifests:
              - secrets/pull.yaml
            applications:
              web:
                values: {web_source_namespace: aws-system}
                instances:
            %s
                secretCopies:
                  - from: {namespace: registry, name: pull}
                    name: registry-pull
                    namespaces: [team-a, team-b]
            """;
    private static final String THREE = "      a: {namespace: team-a}\n      b: {namespace: team-b}\n      c: {namespace: team-c}";
    private static final String TWO = "      a: {namespace: team-a}\n      b: {namespace: team-b}";

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client();
        for (String ns : List.of("aws-system", "registry", "team-a", "team-b", "team-c")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        ConfigMap owner = client.configMaps().inNamespace("aws-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("owner").endMetadata().build()).create();
        client.secrets().inNamespace("aws-system").resource(new SecretBuilder().withNewMetadata().withName("aws-credentials")
                .addToLabels("team", "platform").addToAnnotations("note", "source")
                .addToAnnotations("dm-reconciler.dev/copy-to", "team-*")
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                .withUid(owner.getMetadata().getUid()).endOwnerReference().endMetadata()
                .withType("Opaque").addToData("AWS_ACCESS_KEY_ID", b64(KEY_ID)).addToData("AWS_SECRET_ACCESS_KEY", b64(SECRET_KEY))
                .build()).create();
        try {
            kubeconfig = server.writeKubeconfig(Files.createDirectories(dir.resolve("kube")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        repo = TestRepo.empty(dir.resolve("repo"))
                .write("templates/web/bundle.yaml", """
                        name: web
                        prefix: web_
                        namespaceVariable: web_namespace
                        templates:
                          - {file: templates/web/cm.yaml.ftl, scope: instance}
                        secretCopies:
                          - from: {namespace: "${web_source_namespace}", name: aws-credentials}
                            scope: instance
                            when: web_source_namespace
                        variables:
                          web_namespace: {default: SetMe}
                          web_source_namespace: {default: ""}
                        """)
                .write("templates/web/cm.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: {a: b}\n")
                .write("secrets/pull.yaml", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: pull, namespace: registry}
                        type: kubernetes.io/dockerconfigjson
                        stringData:
                          .dockerconfigjson: '%s'
                        """.formatted(PULL))
                .write("environments/e.yaml", ENV.formatted(THREE));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static CliResult cli(String command, String... extra) {
        CliResult result = repo.cli(command, Stream.concat(Stream.of("--env", "e", "--kubeconfig", kubeconfig.toString()),
                Stream.of(extra)).toArray(String[]::new));
        outputs.add(result.out() + result.err());
        return result;
    }

    private static int writes(CliResult result) {
        Matcher m = Pattern.compile("requests: \\d+ reads, (\\d+) writes").matcher(result.out() + result.err());
        assertTrue(m.find(), result.out() + result.err());
        return Integer.parseInt(m.group(1));
    }

    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        client.secrets().inAnyNamespace().list().getItems().forEach(s -> versions.put(s.getMetadata().getNamespace() + "/"
                + s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
        client.configMaps().inAnyNamespace().list().getItems().forEach(c -> versions.put("cm " + c.getMetadata().getNamespace()
                + "/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        return versions;
    }

    private static String value(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void copiesAreAppliedWithOnlyTheSourcesTypeAndData() {
        CliResult result = cli("apply");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        Inventory inventory = new InventoryStore(client, "dm-reconciler", "dm-reconciler").loadAll("web").get("e");
        for (String ns : List.of("team-a", "team-b", "team-c")) {
            Secret copy = client.secrets().inNamespace(ns).withName("aws-credentials").get();
            assertNotNull(copy, ns);
            assertEquals("Opaque", copy.getType());
            assertEquals(KEY_ID, value(copy, "AWS_ACCESS_KEY_ID"));
            assertEquals(SECRET_KEY, value(copy, "AWS_SECRET_ACCESS_KEY"));
            assertTrue(copy.getMetadata().getOwnerReferences() == null || copy.getMetadata().getOwnerReferences().isEmpty(),
                    "not the source's owner references");
            assertNull(copy.getMetadata().getLabels().get("team"), "not the source's labels");
            assertNull(copy.getMetadata().getAnnotations().get("note"), "not the source's annotations");
            assertEquals("dm-reconciler", copy.getMetadata().getLabels().get(Stamp.MANAGED_BY));
            assertEquals("web", copy.getMetadata().getLabels().get(Stamp.APPLICATION));
            assertEquals("aws-system/aws-credentials", copy.getMetadata().getAnnotations().get("dm-reconciler.dev/copy-of"));
            assertTrue(copy.getMetadata().getManagedFields().stream().allMatch(f -> f.getManager().equals("dm-reconciler")),
                    "only our field manager: " + copy.getMetadata().getManagedFields());
            Inventory.Entry entry = inventory.entries().get(new ObjectKey("", "Secret", ns, "aws-credentials"));
            assertNotNull(entry, "inventoried");
            assertEquals(copy.getMetadata().getAnnotations().get(Stamp.HASH), entry.hash(), "the keyed hash");
        }
        // the manifest Secret, created in this same pass, copied under another name into the listed namespaces
        for (String ns : List.of("team-a", "team-b")) {
            Secret copy = client.secrets().inNamespace(ns).withName("registry-pull").get();
            assertNotNull(copy, ns);
            assertEquals("kubernetes.io/dockerconfigjson", copy.getType());
            assertEquals(PULL, value(copy, ".dockerconfigjson"));
        }
        assertNull(client.secrets().inNamespace("team-c").withName("registry-pull").get(), "only where listed");
    }

    @Test
    @Order(2)
    void anUnchangedPassWritesNothing() {
        CliResult result = cli("apply");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals(0, writes(result), result.out());
    }

    @Test
    @Order(3)
    void aChangedSourceShowsRedactedInEveryDiffFormatAndReachesEveryCopy() {
        Secret source = client.secrets().inNamespace("aws-system").withName("aws-credentials").get();
        source.getData().put("AWS_SECRET_ACCESS_KEY", b64(ROTATED));
        client.secrets().inNamespace("aws-system").resource(source).update();
        for (String format : List.of("text", "markdown", "json")) {
            CliResult diff = cli("diff", "-o", format, "--no-color");
            assertEquals(1, diff.exitCode(), diff.out() + diff.err());
            assertTrue(diff.out().contains("<redacted (changed)>"), format + ": " + diff.out());
            assertTrue(diff.out().contains("team-c"), format + ": " + diff.out());
        }
        CliResult result = cli("apply");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals(3, result.out().split("configured Secret", -1).length - 1, result.out());
        for (String ns : List.of("team-a", "team-b", "team-c")) {
            assertEquals(ROTATED, value(client.secrets().inNamespace(ns).withName("aws-credentials").get(), "AWS_SECRET_ACCESS_KEY"));
        }
    }

    @Test
    @Order(4)
    void aCopyNoLongerDeclaredIsPruned() {
        repo.write("environments/e.yaml", ENV.formatted(TWO));
        CliResult result = cli("apply");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("deleted Secret team-c/aws-credentials"), result.out());
        assertNull(client.secrets().inNamespace("team-c").withName("aws-credentials").get());
        assertNotNull(client.secrets().inNamespace("team-a").withName("aws-credentials").get());
    }

    @Test
    @Order(5)
    void aCopyTheSourcesOwnerDoesNotAllowFailsTheEnvironmentBeforeAnyWrite() {
        client.secrets().inNamespace("aws-system").withName("aws-credentials")
                .edit(s -> { s.getMetadata().getAnnotations().put("dm-reconciler.dev/copy-to", "team-a"); return s; });
        Map<String, String> before = versions();
        CliResult result = cli("apply");
        assertEquals(3, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("source Secret aws-system/aws-credentials allows copies only to team-a "
                + "(dm-reconciler.dev/copy-to), needed by the copy team-b/aws-credentials"), result.err());
        assertEquals(0, writes(result), result.err());
        assertEquals(before, versions());
        client.secrets().inNamespace("aws-system").withName("aws-credentials")
                .edit(s -> { s.getMetadata().getAnnotations().remove("dm-reconciler.dev/copy-to"); return s; });
        before = versions();
        CliResult none = cli("apply");
        assertEquals(3, none.exitCode(), none.out() + none.err());
        assertTrue(none.err().contains("does not allow copies (its owner lists the namespaces in its annotation "
                + "dm-reconciler.dev/copy-to, comma-separated, * for any), needed by the copies team-a/aws-credentials"), none.err());
        assertEquals(before, versions());
        client.secrets().inNamespace("aws-system").withName("aws-credentials")
                .edit(s -> { s.getMetadata().getAnnotations().put("dm-reconciler.dev/copy-to", "team-*"); return s; });
    }

    @Test
    @Order(6)
    void aMissingSourceFailsTheEnvironmentBeforeAnyWrite() {
        client.secrets().inNamespace("aws-system").withName("aws-credentials").delete();
        repo.write("environments/e.yaml", ENV.formatted("      a: {namespace: team-a}")); // b's objects would be pruned
        Map<String, String> before = versions();
        CliResult result = cli("apply");
        assertEquals(3, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("error: secret copy: source Secret aws-system/aws-credentials does not exist, "
                + "needed by the copy team-a/aws-credentials (application web, templates/web/bundle.yaml:7 (secret copy)); "
                + "environment e stops before any write"), result.err());
        assertEquals(0, writes(result), result.err());
        assertEquals(before, versions(), "nothing written, nothing deleted (team-b's objects stay)");
        CliResult diff = cli("diff");
        assertEquals(2, diff.exitCode(), diff.out() + diff.err());
        assertTrue((diff.out() + diff.err()).contains("source Secret aws-system/aws-credentials does not exist"), diff.out());
        assertTrue(diff.out().contains("Op: 0 create, 0 delete, 0 update, 0 noop"), "not shown as deleting: " + diff.out());
    }

    @Test
    @Order(7)
    void noOutputShowsAValueOrItsBase64() {
        for (String output : outputs) {
            for (String secret : List.of(KEY_ID, SECRET_KEY, ROTATED, PULL, "pull-password-44")) {
                assertFalse(output.contains(secret), secret + " in " + output);
                assertFalse(output.contains(b64(secret)), "base64 of " + secret + " in " + output);
            }
        }
    }
}
